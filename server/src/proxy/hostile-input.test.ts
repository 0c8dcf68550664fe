// Hostile traffic, defect 2: data in headers and paths never makes a 500. Tags are printable
// ASCII without spaces or commas (refused at set, filtered from an origin's Cache-Tag), and a
// malformed percent-escape in a /r path is a logged 400.
import { afterEach, describe, expect, it, vi } from "vitest";
import { behave, uniqueKey } from "../../test/support/origin-control.ts";
import { mutate, ok, send } from "../../test/support/trpc-http.ts";

afterEach(() => vi.restoreAllMocks());

describe("tags that could not travel in a header (issue: hostile traffic, 2)", () => {
  for (const tag of ["a\r\nSet-Cookie: x=1", "tab\there", "two words", "a,b", "café", "\u0000"]) {
    it(`set refuses the tag ${JSON.stringify(tag)} with a 400 naming it`, async () => {
      const reply = await mutate("set", { key: uniqueKey("tagged"), value: 1, tags: ["fine", tag] });
      expect(reply.status).toBe(400);
      expect(reply.body.error.message).toContain(`tag ${JSON.stringify(tag)} must be printable ASCII`);
      expect(reply.body.error.message).toContain("tags.1");
    });
  }

  it("invalidate and warm refuse them too", async () => {
    expect((await mutate("invalidate", { tags: ["a\nb"] })).status).toBe(400);
    expect((await mutate("warm", { namespace: "products", tags: ["a b"] })).status).toBe(400);
  });

  it("an origin's Cache-Tag keeps only tags that can be sent back; /r then answers 200", async () => {
    const key = uniqueKey("origin-tags");
    await behave(key, { value: { ok: true }, tags: ["good", " spaced out ", "caf\u00e9", "product:1", ""] });
    const reply = await send(`/r/products/${key}`);
    expect(reply.status).toBe(200);
    // Issue 17: the tags that can travel, namespaced, then the key's hashed tag and the namespace's.
    expect(reply.headers.get("cache-tag")).toMatch(/^products:good,products:product:1,products\/key\/[0-9a-f]{16},products$/);
    const got = await ok(mutate("set", { key: uniqueKey("plain"), value: 1, tags: ["product:1", "a-b_c.d/e"] }));
    expect(got.version).toBeGreaterThan(0);
  });
});

describe("malformed percent-escapes in /r paths (issue: hostile traffic, 2)", () => {
  const paths = ["/r/%E0%A4%A/k", "/r/%/k", "/r/products/%E0%A4%A", "/r/products/a%ZZb", "/r/%FF/k"];
  for (const path of paths) {
    it(`${path} is a 400 naming the part, and is logged`, async () => {
      const spy = vi.spyOn(console, "log");
      const reply = await send(path);
      expect(reply.status).toBe(400);
      expect(reply.body.error.data.code).toBe("BAD_REQUEST");
      expect(reply.body.error.message).toMatch(/(namespace|key).*(percent-escape|namespace must)/);
      const lines = spy.mock.calls.map((args) => String(args[0])).filter((text) => text.includes('"event":"request"'));
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({
        route: "/r/:namespace/:key",
        status: 400,
        requestId: reply.headers.get("x-request-id"),
      });
    });
  }

  it("a well-formed escape still reaches its key", async () => {
    await ok(mutate("set", { key: "a b/ç", value: "decoded" }));
    const reply = await send(`/r/default/${encodeURIComponent("a b/ç")}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toBe("decoded");
  });
});
