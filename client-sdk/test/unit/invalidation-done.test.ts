// done() against a stand-in server (the real coordinator is not built yet): polling, progress,
// abort, timeout and failure, all driven by the job's scripted status rather than by the clock.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createCacheClient, isCacheError, type CacheClient, type InvalidationStatus } from "../../src/index.ts";
import { startFakeCacheServer, type FakeCacheServer } from "../support/fake-cache-server.ts";

let server: FakeCacheServer;
let cache: CacheClient;

beforeAll(async () => {
  server = await startFakeCacheServer();
});
afterAll(() => server.close());
afterEach(() => cache?.close());

const fastPolling = { initialIntervalMs: 5, maxIntervalMs: 20 };

describe("invalidate().done()", () => {
  it("reports each new status with rising progress and resolves with the completed one", async () => {
    server.scriptJob([
      { state: "processing", progress: 25, completedTargets: 1 },
      { state: "processing", progress: 25, completedTargets: 1 }, // unchanged: not reported again
      { state: "processing", progress: 50, completedTargets: 2 },
      { state: "processing", progress: 75, completedTargets: 3 },
      { state: "completed", progress: 100, completedTargets: 4, invalidatedKeys: 12 },
    ]);
    cache = createCacheClient({ url: server.url, namespace: "products", network: null });
    const job = await cache.invalidate({ tags: ["catalog"] });
    expect(job.id).toBe("job-1");
    expect(job.queued).toBe(false);
    const seen: InvalidationStatus[] = [];
    const final = await job.done({ ...fastPolling, onProgress: (s) => seen.push(s) });
    expect(seen.map((s) => [s.state, s.progress])).toEqual([
      ["queued", 0],
      ["processing", 25],
      ["processing", 50],
      ["processing", 75],
      ["completed", 100],
    ]);
    expect(final).toMatchObject({ state: "completed", progress: 100, invalidatedKeys: 12, namespace: "products" });
  });

  it("stops polling and rejects with ABORTED when the signal fires", async () => {
    server.scriptJob([{ state: "processing", progress: 10 }]);
    cache = createCacheClient({ url: server.url, network: null });
    const job = await cache.invalidate({ keys: ["a"] });
    const controller = new AbortController();
    const done = job.done({ ...fastPolling, signal: controller.signal, onProgress: (s) => s.progress === 10 && controller.abort() });
    await expect(done).rejects.toMatchObject({ name: "CacheError", code: "ABORTED" });
  });

  it("rejects with a typed TIMEOUT error when timeoutMs passes first", async () => {
    server.scriptJob([{ state: "processing", progress: 10 }]);
    cache = createCacheClient({ url: server.url, network: null });
    const job = await cache.invalidate({ prefixes: ["user:"] });
    const error = await job.done({ ...fastPolling, timeoutMs: 150 }).catch((e: unknown) => e);
    expect(isCacheError(error) && error.code).toBe("TIMEOUT");
  });

  it("resolves with a failed job unless asked to throw, then rejects with JOB_FAILED carrying the status", async () => {
    server.scriptJob([{ state: "failed", progress: 50, failedTargets: 2, errors: ["shard 3: unreachable"] }]);
    cache = createCacheClient({ url: server.url, network: null });
    const job = await cache.invalidate({ tags: ["t"] });
    expect((await job.done(fastPolling)).state).toBe("failed");
    const error = await job.done({ ...fastPolling, throwOnFailure: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "JOB_FAILED", job: { state: "failed", errors: ["shard 3: unreachable"] } });
    expect((error as Error).message).toContain("shard 3: unreachable");
  });

  it("keeps polling through a transient 503 on status", async () => {
    server.scriptJob([
      { state: "processing", progress: 40 },
      { state: "completed", progress: 100 },
    ]);
    cache = createCacheClient({ url: server.url, network: null });
    const job = await cache.invalidate({ tags: ["t"] });
    server.failNext(2, "SERVICE_UNAVAILABLE");
    expect((await job.done(fastPolling)).state).toBe("completed");
  });

  it("an invalidation queued while offline gets its id once replayed, and done() waits for that", async () => {
    server.scriptJob([{ state: "completed", progress: 100 }]);
    cache = createCacheClient({ url: server.url, network: null, retry: { initialDelayMs: 5, maxDelayMs: 20 } });
    server.failNext(1, "BAD_GATEWAY");
    const job = await cache.invalidate({ tags: ["offline"] });
    expect(job.queued).toBe(true);
    expect(job.id).toBeUndefined();
    const final = await job.done(fastPolling);
    expect(final.state).toBe("completed");
    expect(job.id).toBe(final.id);
    expect(job.queued).toBe(false);
  });
});
