// Hostile traffic, defect 9: details for the right audience. A 5xx names its code and request
// id, never an internal message (the log line has it); every answer says nosniff; /health
// without a token says ok or not ok.
import { describe, expect, it, vi, afterEach } from "vitest";
import { CacheError, publicServerMessage } from "../errors.ts";
import { uniqueKey } from "../../test/support/origin-control.ts";
import { mutate, query, send } from "../../test/support/trpc-http.ts";

afterEach(() => vi.restoreAllMocks());

const errorLines = (spy: { mock: { calls: unknown[][] } }) =>
  spy.mock.calls
    .map((args) => String(args[0]))
    .filter((text) => text.includes('"event":"server_error"'))
    .map((text) => JSON.parse(text));

describe("5xx answers carry a code and the request id, not internal messages (issue: hostile traffic, 9)", () => {
  it("an unreachable origin: the caller gets no network error text; the log line has it, under the same id", async () => {
    const spy = vi.spyOn(console, "error");
    const key = uniqueKey("down");
    for (const reply of [await query("get", { namespace: "unreachable", key }), await send(`/r/unreachable/${key}`)]) {
      expect(reply.status).toBe(502);
      const { message, data } = reply.body.error;
      expect(message).toBe(`origin unreachable for key "${key}" (request id ${reply.headers.get("x-request-id")})`);
      expect(data.code).toBe("BAD_GATEWAY");
      expect(data.requestId).toBe(reply.headers.get("x-request-id"));
    }
    const lines = errorLines(spy);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(line.error).toMatch(new RegExp(`origin unreachable for key "${key}": .+`));
  });

  it('the convention: what follows a domain message\'s first ": " stays in the log', () => {
    const d1 = new CacheError("BAD_GATEWAY", 'main database read failed for key "k": D1_ERROR: no such table: cache_records');
    expect(publicServerMessage(d1)).toBe('main database read failed for key "k"');
    expect(publicServerMessage(new CacheError("SERVICE_UNAVAILABLE", "CACHE_CONFIG is invalid: namespaces.x.shards: too small"))).toBe(
      "CACHE_CONFIG is invalid",
    );
    expect(publicServerMessage(new TypeError("secret internals"))).toBe("internal error; the server logged the cause");
  });
});

describe("every response says nosniff (issue: hostile traffic, 9)", () => {
  it("on successes, errors, the proxy, unknown routes and /health", async () => {
    const replies = [
      await query("get", { key: "nosniff" }),
      await mutate("set", { key: "nosniff", value: 1 }, null),
      await send("/r/default/nosniff"),
      await send("/r/%/x"),
      await send("/nowhere"),
      await send("/health", { token: null }),
    ];
    for (const reply of replies) expect(reply.headers.get("x-content-type-options"), String(reply.status)).toBe("nosniff");
  });
});

describe("/health (issue: hostile traffic, 9)", () => {
  it("says only ok to anyone while the configuration is valid", async () => {
    const reply = await send("/health", { token: null });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ ok: true });
  });
});

describe("/health with a token (issue: hostile traffic, 6 and 9)", () => {
  it("checks a presented token like every route: an unknown one is a 401", async () => {
    const reply = await send("/health", { token: "not-a-real-token" });
    expect(reply.status).toBe(401);
    expect(reply.body.error.data.code).toBe("UNAUTHORIZED");
    expect((await send("/health")).body).toEqual({ ok: true }); // the admin token: nothing wrong to tell
  });
});
