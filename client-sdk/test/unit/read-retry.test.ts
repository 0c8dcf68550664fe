// A read that gets no answer at all (a keep-alive socket the server closed as it was reused) is
// sent once more; a mutation is not repeated by this path (the offline queue owns its retries).
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { createCacheClient, type CacheClient, type FetchLike } from "../../src/index.ts";
import { startFakeCacheServer, type FakeCacheServer } from "../support/fake-cache-server.ts";

let server: FakeCacheServer;
let cache: CacheClient | undefined;
beforeAll(async () => {
  server = await startFakeCacheServer();
});
afterAll(() => server.close());
afterEach(() => cache?.close());

/** A client whose first `failures` tRPC requests die without an answer, as a reset socket does. */
function flakyClient(failures: number): { cache: CacheClient; sent: () => number } {
  let sent = 0;
  const fetch: FetchLike = (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!new URL(url).pathname.startsWith("/trpc/")) return globalThis.fetch(input, init);
    sent++;
    if (sent <= failures) return Promise.reject(new TypeError("fetch failed: other side closed"));
    return globalThis.fetch(input, init);
  };
  cache = createCacheClient({ url: server.url, namespace: "retry", network: null, offlineQueue: false, fetch });
  return { cache, sent: () => sent };
}

it("a get whose connection was reset is sent once more and answers", async () => {
  const { cache, sent } = flakyClient(1);
  expect(await cache.get("k")).toMatchObject({ found: false });
  expect(sent()).toBe(2);
});

it("two resets in a row reach the caller as NETWORK_ERROR", async () => {
  const { cache, sent } = flakyClient(2);
  await expect(cache.get("k")).rejects.toMatchObject({ code: "NETWORK_ERROR" });
  expect(sent()).toBe(2);
});

it("a mutation is not repeated on a reset", async () => {
  const { cache, sent } = flakyClient(1);
  await expect(cache.set("k", 1)).rejects.toMatchObject({ code: "NETWORK_ERROR" });
  expect(sent()).toBe(1);
});
