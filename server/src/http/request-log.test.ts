// Issue 8 inside workerd: the request log line and X-Request-Id (the e2e test reads real
// `wrangler dev` output). The dashboard's assets are tested by its own package (dashboard/test).
import { afterEach, describe, expect, it, vi } from "vitest";
import { mutate, ok, query, send } from "../../test/support/trpc-http.ts";

afterEach(() => vi.restoreAllMocks());

function capturedLines(spy: { mock: { calls: unknown[][] } }): Record<string, unknown>[] {
  return spy.mock.calls
    .map((args) => String(args[0]))
    .filter((text) => text.includes('"event":"request"'))
    .map((text) => JSON.parse(text) as Record<string, unknown>);
}

describe("request log", () => {
  it("writes one line per request with the id it answers in X-Request-Id, and no value", async () => {
    const spy = vi.spyOn(console, "log");
    const secretValue = { card: "request-log-test-value-5c1e" };
    await ok(mutate("set", { namespace: "lined", key: "logged-key", value: secretValue }));
    const reply = await send("/r/lined/logged-key");
    expect(reply.status).toBe(200);
    const lines = capturedLines(spy);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ event: "request", method: "POST", route: "/trpc", procedure: "set", namespace: "lined", status: 200 });
    expect(lines[1]).toMatchObject({
      route: "/r/:namespace/:key",
      namespace: "lined",
      status: 200,
      requestId: reply.headers.get("x-request-id"),
    });
    expect(reply.headers.get("server-timing")).toMatch(/^cache;desc="HIT";dur=/);
    expect(JSON.stringify(spy.mock.calls)).not.toContain("request-log-test-value-5c1e");
  });
});

describe('request log sampling (requestLog.successfulReads: "lines", sampleRate)', () => {
  it("keeps the sampled share of successful reads, says so, and always logs writes and errors", async () => {
    const spy = vi.spyOn(console, "log");
    await ok(mutate("set", { namespace: "sampled", key: "k", value: 1 }));
    // The namespace's rate is 0.5: a draw under it keeps the line, one at or over it drops it.
    const draws = vi.spyOn(Math, "random");
    draws.mockReturnValueOnce(0.4);
    await ok(query("get", { namespace: "sampled", key: "k" }));
    draws.mockReturnValueOnce(0.6);
    await ok(query("get", { namespace: "sampled", key: "k" }));
    draws.mockReturnValue(0.99);
    const rejected = await query("get", { namespace: "sampled", key: "" });
    expect(rejected.status).toBe(400);
    await ok(query("get", { namespace: "lined", key: "k" }));
    const lines = capturedLines(spy);
    expect(lines.map((l) => [l.procedure, l.namespace, l.status, l.sampleRate])).toEqual([
      ["set", "sampled", 200, undefined], // a mutation: always, and not a sample
      ["get", "sampled", 200, 0.5], // kept by the draw of 0.4; stands for 2 reads
      ["get", "sampled", 400, undefined], // an error: always
      ["get", "lined", 200, undefined], // a namespace with lines and no sampling: every read
    ]);
  });
});
