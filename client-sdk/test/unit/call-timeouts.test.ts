// Timeout and AbortSignal on every call, not only `get`: each call, table-driven, against a
// stand-in server that holds its answer (delayNext), must reject with the typed CacheError
// TIMEOUT or ABORTED — promptly, not when the server finally answers.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  CacheError,
  createCacheClient,
  isCacheError,
  type CacheClient,
  type CacheClientOptions,
  type InvalidationHandle,
} from "../../src/index.ts";
import type { CallOptions } from "../../src/util/abort.ts";
import { startFakeCacheServer, type FakeCacheServer } from "../support/fake-cache-server.ts";

let server: FakeCacheServer;
let cache: CacheClient;
let jobId: string;
/** A handle made by the client under test (a handle polls through the client that made it). */
let handle: InvalidationHandle;

/** How long the server holds a delayed answer: far longer than any timeout below. */
const SERVER_DELAY_MS = 1_500;
/** A rejection must come well before the held answer would have. */
const PROMPT_MS = 1_000;

beforeAll(async () => {
  server = await startFakeCacheServer();
  server.scriptJob([{ state: "processing", progress: 10 }]);
  const setup = createCacheClient({ url: server.url, network: null });
  jobId = (await setup.invalidate({ tags: ["t"] })).id!;
  await setup.close();
});
afterAll(() => server.close());
afterEach(async () => {
  server.delayNext(0, 0);
  server.failNext(0, "SERVICE_UNAVAILABLE");
  await cache?.close();
});

const client = (options: Partial<CacheClientOptions> = {}) =>
  (cache = createCacheClient({ url: server.url, network: null, offlineQueue: false, ...options } as CacheClientOptions));

/** Every call of the client, each given the per-call options under test. */
const CALLS: Array<{
  name: string;
  /** Runs before the server is told to hold its answers. */
  prepare?: (cache: CacheClient) => Promise<void>;
  run: (cache: CacheClient, options: CallOptions) => Promise<unknown>;
}> = [
  { name: "get", run: (c, o) => c.get("k", o) },
  { name: "set", run: (c, o) => c.set("k", 1, o) },
  { name: "delete", run: (c, o) => c.delete("k", o) },
  { name: "invalidate", run: (c, o) => c.invalidate({ tags: ["t"], ...o }) },
  { name: "jobStatus (status)", run: (c, o) => c.jobStatus(jobId, o) },
  {
    name: "handle.status()",
    prepare: async (c) => {
      handle = await c.invalidate({ tags: ["t"] });
    },
    run: (_c, o) => handle.status(o),
  },
  { name: "stats", run: (c, o) => c.stats(o) },
  { name: "flush", run: (c, o) => c.flush(o) },
  { name: "warm", run: (c, o) => c.warm(["w"], o) },
];

/** Runs `work`, expecting a CacheError; returns it with the time it took. */
async function rejection(work: () => Promise<unknown>): Promise<{ error: CacheError; ms: number }> {
  const started = performance.now();
  const outcome = await work().then(
    (value) => ({ resolved: value }),
    (error: unknown) => ({ error }),
  );
  const ms = performance.now() - started;
  if (!("error" in outcome)) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.resolved)}`);
  if (!isCacheError(outcome.error)) throw new Error(`expected a CacheError, got ${String(outcome.error)}`);
  return { error: outcome.error, ms };
}

describe.each(CALLS)("$name", ({ run, prepare }) => {
  it("rejects with TIMEOUT after the per-call timeoutMs", async () => {
    client();
    await prepare?.(cache);
    server.delayNext(1, SERVER_DELAY_MS);
    const { error, ms } = await rejection(() => run(cache, { timeoutMs: 60 }));
    expect(error).toBeInstanceOf(CacheError);
    expect(error).toMatchObject({ name: "CacheError", code: "TIMEOUT", status: 0, retryable: true });
    expect(error.message).toContain("60 ms");
    expect(ms).toBeGreaterThanOrEqual(50);
    expect(ms).toBeLessThan(PROMPT_MS);
  });

  it("rejects with TIMEOUT after the client's default timeoutMs", async () => {
    client({ timeoutMs: 60 });
    await prepare?.(cache);
    server.delayNext(1, SERVER_DELAY_MS);
    const { error, ms } = await rejection(() => run(cache, {}));
    expect(error).toMatchObject({ code: "TIMEOUT", status: 0 });
    expect(ms).toBeLessThan(PROMPT_MS);
  });

  it("rejects with ABORTED when the signal fires mid-flight", async () => {
    client();
    await prepare?.(cache);
    server.delayNext(1, SERVER_DELAY_MS);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("user left the page")), 40);
    const { error, ms } = await rejection(() => run(cache, { signal: controller.signal }));
    expect(error).toMatchObject({ name: "CacheError", code: "ABORTED", status: 0, retryable: false });
    expect((error.cause as Error).message).toBe("user left the page");
    expect(ms).toBeLessThan(PROMPT_MS);
  });

  it("rejects with ABORTED at once for an already-aborted signal", async () => {
    client();
    await prepare?.(cache);
    const { error } = await rejection(() => run(cache, { signal: AbortSignal.abort() }));
    expect(error).toMatchObject({ code: "ABORTED" });
  });

  it("rejects with ABORTED (not queued) even with the offline queue on", async () => {
    client({ offlineQueue: true });
    await prepare?.(cache);
    server.delayNext(1, SERVER_DELAY_MS);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 40);
    const { error } = await rejection(() => run(cache, { signal: controller.signal }));
    expect(error.code).toBe("ABORTED");
    expect(cache.pending).toBe(0);
  });

  it("answers normally within its timeout (the limit is not a fixed delay)", async () => {
    client();
    await prepare?.(cache);
    await expect(run(cache, { timeoutMs: 5_000 })).resolves.toBeDefined();
  });
});

describe("timeouts inside a batch", () => {
  it("a call with a short timeout rejects on time even when batched with a slower call", async () => {
    client();
    server.delayNext(2, SERVER_DELAY_MS);
    const started = performance.now();
    const short = cache.get("short", { timeoutMs: 60 }).catch((e: unknown) => ({ error: e, ms: performance.now() - started }));
    const long = cache.get("long", { timeoutMs: 10_000 });
    const outcome = (await short) as { error: unknown; ms: number };
    expect(outcome.error).toMatchObject({ code: "TIMEOUT" });
    expect(outcome.ms).toBeLessThan(PROMPT_MS);
    await expect(long).resolves.toMatchObject({ found: false });
  });

  it("aborting one call of a batch rejects it at once and leaves the others to finish", async () => {
    client();
    server.delayNext(2, 400);
    const controller = new AbortController();
    const started = performance.now();
    const aborted = cache.stats({ signal: controller.signal }).catch((e: unknown) => ({ error: e, ms: performance.now() - started }));
    const other = cache.stats({ namespace: "other" });
    setTimeout(() => controller.abort(), 30);
    const outcome = (await aborted) as { error: unknown; ms: number };
    expect(outcome.error).toMatchObject({ code: "ABORTED" });
    expect(outcome.ms).toBeLessThan(350);
    await expect(other).resolves.toMatchObject({ namespace: "other" });
  });
});

describe("an already-aborted signal while mutations wait in the queue", () => {
  it.each(["set", "delete", "invalidate"] as const)("%s rejects with ABORTED and queues nothing", async (name) => {
    client({ offlineQueue: true, retry: { initialDelayMs: 60_000, maxDelayMs: 60_000 } });
    server.failNext(1, "SERVICE_UNAVAILABLE");
    expect((await cache.set("first", 1)).queued).toBe(true);
    expect(cache.pending).toBe(1);
    const call = CALLS.find((c) => c.name === name)!;
    const { error } = await rejection(() => call.run(cache, { signal: AbortSignal.abort() }));
    expect(error.code).toBe("ABORTED");
    expect(cache.pending).toBe(1);
  });
});
