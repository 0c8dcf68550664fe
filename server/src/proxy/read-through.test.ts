import { describe, expect, it } from "vitest";
import { behave, originCount, uniqueKey } from "../../test/support/origin-control.ts";
import { advanceShardClock } from "../../test/support/shards.ts";
import { mutate, ok, send } from "../../test/support/trpc-http.ts";

describe("read-through proxy", () => {
  it("answers MISS, then HIT with Age, ETag and Cache-Tag, then 304 for a matching If-None-Match", async () => {
    const key = uniqueKey("catalog/shoes");
    await behave(key, { value: { name: "shoe" }, tags: ["catalog", "shoes"] });
    const miss = await send(`/r/products/${key}`);
    expect(miss.status).toBe(200);
    expect(miss.body).toEqual({ name: "shoe" });
    expect(miss.headers.get("x-cache")).toBe("MISS");
    const hit = await send(`/r/products/${key}`);
    expect(hit.headers.get("x-cache")).toBe("HIT");
    expect(hit.headers.get("age")).toMatch(/^\d+$/);
    // Issue 17: tags namespaced, then the key's hashed tag and the namespace's.
    expect(hit.headers.get("cache-tag")).toMatch(/^products:catalog,products:shoes,products\/key\/[0-9a-f]{16},products$/);
    const etag = hit.headers.get("etag")!;
    const notModified = await send(`/r/products/${key}`, { headers: { "If-None-Match": `W/${etag}, "other"` } });
    expect(notModified.status).toBe(304);
    expect(notModified.body).toBeNull();
    expect((await send(`/r/products/${key}`, { headers: { "If-None-Match": '"0"' } })).status).toBe(200);
    expect(await originCount(key)).toBe(1);
  });

  it("answers STALE for a stale entry, at once, while it refreshes in the background", async () => {
    const key = uniqueKey("catalog/stale");
    await behave(key, { value: { v: 1 } });
    expect((await send(`/r/products/${key}`)).headers.get("x-cache")).toBe("MISS");
    await advanceShardClock("products", key, 10_001); // past the namespace's 10 s freshness
    await behave(key, { value: { v: 2 }, latencyMs: 1_000 });
    const stale = await send(`/r/products/${key}`);
    expect(stale.headers.get("x-cache")).toBe("STALE");
    expect(stale.body).toEqual({ v: 1 });
    expect(Number(stale.headers.get("age"))).toBeGreaterThanOrEqual(10);
    // The one background refresh lands, and the next answer is a fresh HIT of the new value.
    let after = stale;
    for (const deadline = Date.now() + 10_000; after.headers.get("x-cache") !== "HIT" && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await send(`/r/products/${key}`);
    }
    expect(after.headers.get("x-cache")).toBe("HIT");
    expect(after.body).toEqual({ v: 2 });
    expect(await originCount(key)).toBe(2);
  });

  it("serves values written with set, keys with slashes included", async () => {
    const key = "a/b/c";
    await ok(mutate("set", { key, value: [1, 2] }));
    const reply = await send(`/r/default/${key}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual([1, 2]);
  });

  it("answers 404 when the origin has no such key, and 502 when it fails", async () => {
    const missing = uniqueKey("missing");
    await behave(missing, { status: 404 });
    const notFound = await send(`/r/products/${missing}`);
    expect(notFound.status).toBe(404);
    expect(notFound.body.error.data.code).toBe("NOT_FOUND");
    const broken = uniqueKey("broken");
    await behave(broken, { status: 500 });
    const failed = await send(`/r/products/${broken}`);
    expect(failed.status).toBe(502);
    expect(failed.body.error.message).toMatch(/origin answered 500/);
  });
});
