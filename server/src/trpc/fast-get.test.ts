import { describe, expect, it } from "vitest";
import { behave, uniqueKey } from "../../test/support/origin-control.ts";
import { mutate, ok, query, send } from "../../test/support/trpc-http.ts";

const batched = (input: object, init: RequestInit = {}) =>
  send(`/trpc/get?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: input }))}`, init);
const shortPath = (input: object, init: RequestInit = {}) => send(`/trpc/get?input=${encodeURIComponent(JSON.stringify(input))}`, init);

describe("the short path for a single get answers exactly as tRPC does", () => {
  it("a hit: the same JSON as the batched (full tRPC) call", async () => {
    const key = uniqueKey("fast");
    await ok(mutate("set", { key, value: { a: [1, "é"] }, tags: ["t"] }));
    const single = await query("get", { key });
    const viaTrpc = await batched({ key });
    expect(single.status).toBe(200);
    expect(single.headers.get("content-type")).toMatch(/application\/json/);
    const { ageMs: _a, ...fast } = single.body.result.data;
    const { ageMs: _b, ...full } = viaTrpc.body[0].result.data;
    expect(fast).toEqual(full);
  });

  it("an origin failure: the same status, code, path, message and request id as tRPC's error", async () => {
    const key = uniqueKey("fast-broken");
    await behave(key, { status: 500 });
    // A server error names its request id: both calls give the same one, so the answers can be compared whole.
    const sameId = { headers: { "X-Request-Id": "fast-get-compare-1" } };
    const fast = await shortPath({ namespace: "products", key }, sameId);
    const viaTrpc = await batched({ namespace: "products", key }, sameId); // the remembered failure, same message
    expect(fast.status).toBe(502);
    expect(fast.body.error.data.requestId).toBe("fast-get-compare-1");
    expect(fast.body.error).toEqual(viaTrpc.body[0].error);
  });

  it("refused callers and bad input still get tRPC's own errors", async () => {
    expect((await query("get", { key: "x" }, null)).status).toBe(401);
    const bad = await query("get", { key: "" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.data.issues).toBeDefined();
  });
});
