// Every procedure through the SDK against the real Worker (`wrangler dev`), with typed results
// and the contract's errors as CacheErrors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOrigin, type OriginServer } from "@cache-sync/dev-kit/origin-server";
import type { DevServer } from "@cache-sync/dev-kit/wrangler-dev";
import { ADMIN_TOKEN, startCacheServer } from "../support/cache-server.ts";
import { createCacheClient, isCacheError, type CacheClient } from "../../src/index.ts";

let origin: OriginServer;
let server: DevServer;
let cache: CacheClient;

beforeAll(async () => {
  origin = await startOrigin();
  server = await startCacheServer({
    namespaces: {
      default: {},
      products: { origin: { url: `${origin.url}/items/{key}`, timeoutMs: 3_000 } },
      // Read by the stats test alone, so its counters are exactly that test's reads.
      tallied: {},
    },
  });
  // A token function is asked before every request (tokens that rotate).
  cache = createCacheClient({ url: server.url, namespace: "products", token: async () => ADMIN_TOKEN });
});

afterAll(async () => {
  await cache?.close();
  await server?.stop();
  await origin?.close();
});

interface Product {
  sku: string;
  price: number;
}

describe("the SDK against wrangler dev", () => {
  it("set, get, delete round-trip with typed values and versions", async () => {
    const written = await cache.set<Product>("sku-1", { sku: "sku-1", price: 10 }, { ttlMs: 60_000, tags: ["catalog"] });
    if (written.queued) throw new Error("expected the write to be applied");
    const read = await cache.get<Product>("sku-1");
    expect(read).toMatchObject({ found: true, state: "fresh", version: written.version, tags: ["catalog"], pending: false });
    expect(read.value?.price).toBe(10);
    expect(await cache.delete("sku-1")).toEqual({ queued: false, deleted: true });
    expect(await cache.get("sku-1", { namespace: "default" })).toMatchObject({ found: false, value: null });
  });

  it("reads through the origin of the default namespace given at creation", async () => {
    const read = await cache.get<{ key: string }>("from-origin");
    expect(read).toMatchObject({ found: true, source: "origin", value: { key: "from-origin" } });
  });

  it("batches concurrent gets and answers each one", async () => {
    const keys = Array.from({ length: 20 }, (_, i) => `batch-${i}`);
    const results = await Promise.all(keys.map((key) => cache.get<{ key: string }>(key)));
    expect(results.map((r) => r.value?.key)).toEqual(keys);
  });

  it("stats answers for the client's namespace", async () => {
    expect((await cache.stats()).namespace).toBe("products");
  });

  it("stats counts a namespace's reads: two hits and a miss are a hit rate of 2/3", async () => {
    const tallied = { namespace: "tallied" };
    await cache.set("counted", 1, tallied);
    await cache.get("counted", tallied);
    await cache.get("counted", tallied);
    await cache.get("never-set", tallied);
    const stats = await cache.stats(tallied);
    expect(stats).toMatchObject({ namespace: "tallied", hits: 2, misses: 1 });
    expect(stats.hitRate).toBeCloseTo(2 / 3, 10);
  });

  it("a version conflict is a CacheError CONFLICT (409) with the current version", async () => {
    const first = await cache.set("cas", 1);
    if (first.queued) throw new Error("expected the first write to be applied");
    const error = await cache.set("cas", 2, { ifVersion: 5 }).catch((e: unknown) => e);
    expect(isCacheError(error)).toBe(true);
    expect(error).toMatchObject({
      code: "CONFLICT",
      status: 409,
      details: { currentVersion: first.version, expectedVersion: 5 },
      retryable: false,
    });
  });

  it("invalid input is a BAD_REQUEST (400) naming the field, and is not queued", async () => {
    const error = await cache.set("k", 1, { ttlMs: -5 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST", status: 400 });
    expect((error as { issues: { path: string[] }[] }).issues[0]?.path).toEqual(["ttlMs"]);
    expect(cache.pending).toBe(0);
  });

  it("invalidate returns a handle whose done() resolves with the completed job, and the entry is gone", async () => {
    await cache.set("inv-1", { sku: "inv-1", price: 1 }, { tags: ["sale"], namespace: "default" });
    const job = await cache.invalidate({ tags: ["sale"], namespace: "default" });
    expect(job.id).toEqual(expect.any(String));
    const progress: number[] = [];
    const final = await job.done({ onProgress: (s) => progress.push(s.progress), timeoutMs: 30_000 });
    expect(final).toMatchObject({ id: job.id, state: "completed", progress: 100 });
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(await cache.jobStatus(job.id!, { namespace: "default" })).toMatchObject({ state: "completed" });
    expect(await cache.get("inv-1", { namespace: "default" })).toMatchObject({ found: false });
  });

  it("an unknown job id is NOT_FOUND (404)", async () => {
    await expect(cache.jobStatus("no-such-job")).rejects.toMatchObject({ code: "NOT_FOUND", status: 404 });
  });

  it("flush reports what went to the main database and what is left", async () => {
    expect(await cache.flush({ namespace: "default" })).toEqual({ flushed: 0, pending: 0, deadLetters: 0 });
  });

  it("warm loads keys from the origin as a job", async () => {
    const job = await cache.warm(["warm-a", "warm-b"], { namespace: "products" });
    expect(await job.done({ timeoutMs: 30_000 })).toMatchObject({ state: "completed", progress: 100, invalidatedKeys: 2 });
    expect(await cache.get("warm-a", { namespace: "products" })).toMatchObject({ found: true, state: "fresh" });
  });

  it("warm by tag reloads the keys seen with the tag from the origin, and no others", async () => {
    await cache.set("warm-tagged", "written here", { namespace: "products", tags: ["warm-tag"] });
    await cache.set("warm-untagged", "written here", { namespace: "products" });
    // Marked stale (a soft purge): warming brings it back fresh from the origin. A fresh key is left as it is.
    await (await cache.invalidate({ tags: ["warm-tag"], mode: "stale", namespace: "products" })).done({ timeoutMs: 30_000 });
    // (Not read here: a stale read would itself refresh it from the origin, whose answer has no tags.)
    const job = await cache.warm({ tags: ["warm-tag"] }, { namespace: "products" });
    expect(await job.done({ timeoutMs: 30_000 })).toMatchObject({ state: "completed", progress: 100, invalidatedKeys: 1 });
    expect(await cache.get("warm-tagged", { namespace: "products" })).toMatchObject({
      found: true,
      state: "fresh",
      value: { key: "warm-tagged", fetch: 1 },
    });
    expect(await cache.get("warm-untagged", { namespace: "products" })).toMatchObject({ value: "written here" });
  });

  it("a wrong token is UNAUTHORIZED (401), not retried or queued", async () => {
    const stranger = createCacheClient({ url: server.url, token: "not-a-token" });
    await expect(stranger.set("k", 1)).rejects.toMatchObject({ code: "UNAUTHORIZED", status: 401, retryable: false });
    expect(stranger.pending).toBe(0);
    await stranger.close();
  });

  it("a per-call timeout rejects with TIMEOUT and an aborted signal with ABORTED", async () => {
    await fetch(`${origin.url}/__behave`, { method: "POST", body: JSON.stringify({ key: "slow", latencyMs: 2_000 }) });
    await expect(cache.get("slow", { timeoutMs: 100 })).rejects.toMatchObject({ code: "TIMEOUT" });
    await expect(cache.get("slow", { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: "ABORTED" });
  });
});
