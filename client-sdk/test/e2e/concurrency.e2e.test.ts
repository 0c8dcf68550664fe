// One client, the concurrency a real app makes: 1,000 sets at once, then 1,000 gets, against the
// real Worker. The server refuses batches over its maxBatchSize (50) and bodies over its limit
// (1 MiB + 64 KiB): the SDK must split what it sends so that every call still succeeds.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevServer } from "@cache-sync/dev-kit/wrangler-dev";
import { createCacheClient, type CacheClient } from "../../src/index.ts";
import { ADMIN_TOKEN, startCacheServer } from "../support/cache-server.ts";

let server: DevServer;
let cache: CacheClient;

beforeAll(async () => {
  server = await startCacheServer({ namespaces: { default: {}, load: { shards: 8 } } });
  // offlineQueue off: a call the server refused must fail here, not hide in the queue.
  cache = createCacheClient({ url: server.url, token: ADMIN_TOKEN, namespace: "load", offlineQueue: false, timeoutMs: 60_000 });
});

afterAll(async () => {
  await cache?.close();
  await server?.stop();
});

/** A value of 16 bytes to ~4 KB, different for every key. */
const valueFor = (i: number) => ({ i, text: "v".repeat((i * 37) % 4_000) });

describe("1,000 concurrent calls from one client", () => {
  it("1,000 concurrent sets then 1,000 concurrent gets: every call succeeds with the right value", async () => {
    const keys = Array.from({ length: 1_000 }, (_, i) => `key-${i}`);
    const started = performance.now();
    const written = await Promise.all(keys.map((key, i) => cache.set(key, valueFor(i), { ttlMs: 600_000 })));
    const setMs = performance.now() - started;
    expect(written.every((w) => w.queued === false && w.version > 0)).toBe(true);

    const readStarted = performance.now();
    const read = await Promise.all(keys.map((key) => cache.get<ReturnType<typeof valueFor>>(key)));
    const getMs = performance.now() - readStarted;
    read.forEach((entry, i) => {
      expect(entry.found).toBe(true);
      expect(entry.value).toEqual(valueFor(i));
      expect(entry.version).toBe((written[i] as { version: number }).version);
    });
    console.log(`1,000 concurrent sets: ${setMs.toFixed(0)} ms; 1,000 concurrent gets: ${getMs.toFixed(0)} ms`);
  });

  it("concurrent sets whose bodies together pass the server's body limit all succeed", async () => {
    // 8 values of ~300 KB: 2.4 MB together, twice the server's limit; each fits alone.
    const big = (i: number) => ({ i, blob: String(i).repeat(300_000) });
    const written = await Promise.all(Array.from({ length: 8 }, (_, i) => cache.set(`big-${i}`, big(i))));
    expect(written.every((w) => w.queued === false)).toBe(true);
    const read = await Promise.all(Array.from({ length: 8 }, (_, i) => cache.get<ReturnType<typeof big>>(`big-${i}`)));
    expect(read.map((r) => r.value?.blob.length)).toEqual(Array(8).fill(300_000));
  });

  it("a single value over the server's limit is refused by the server with PAYLOAD_TOO_LARGE", async () => {
    await expect(cache.set("too-big", "x".repeat(1_200_000))).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE", status: 413 });
  });
});
