// Batching through the real HTTP transport (tRPC httpBatchLink) against the stand-in server:
// every HTTP request is counted through the client's `fetch` option, so "concurrent calls go out
// as one request" is checked on the wire, not only by the answers.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createCacheClient, type CacheClient, type FetchLike } from "../../src/index.ts";
import { startFakeCacheServer, type FakeCacheServer } from "../support/fake-cache-server.ts";

let server: FakeCacheServer;
let cache: CacheClient;

beforeAll(async () => {
  server = await startFakeCacheServer();
});
afterAll(() => server.close());
afterEach(async () => {
  await cache?.close();
  server.received.length = 0;
  server.calls.length = 0;
});

interface SentRequest {
  method: string;
  url: URL;
  bodyBytes: number;
}

/** A client whose every HTTP request is recorded before it goes to the server. */
function countingClient(extra: { maxBatchSize?: number; maxBatchBytes?: number } = {}): {
  cache: CacheClient;
  requests: SentRequest[];
  trpcRequests: () => SentRequest[];
} {
  const requests: SentRequest[] = [];
  const fetch: FetchLike = (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const body = typeof init?.body === "string" ? init.body : undefined;
    requests.push({
      method: init?.method ?? (input instanceof Request ? input.method : "GET"),
      url,
      bodyBytes: body ? Buffer.byteLength(body) : 0,
    });
    return globalThis.fetch(input, init);
  };
  cache = createCacheClient({ url: server.url, namespace: "batch", network: null, fetch, ...extra });
  return { cache, requests, trpcRequests: () => requests.filter((r) => r.url.pathname.startsWith("/trpc/")) };
}

/** The procedures one batched tRPC request carries, from its path (`/trpc/get,get,stats`). */
const proceduresOf = (request: SentRequest) => decodeURIComponent(request.url.pathname.slice("/trpc/".length)).split(",");

describe("batching over HTTP", () => {
  it("sends 20 concurrent gets as ONE HTTP request and answers each one", async () => {
    const { requests, trpcRequests } = countingClient();
    await Promise.all(Array.from({ length: 20 }, (_, i) => cache.set(`k-${i}`, { n: i })));
    requests.length = 0;
    server.calls.length = 0;

    const keys = Array.from({ length: 20 }, (_, i) => `k-${i}`);
    const results = await Promise.all(keys.map((key) => cache.get<{ n: number }>(key)));

    expect(results.map((r) => r.value?.n)).toEqual(keys.map((_, i) => i));
    expect(trpcRequests()).toHaveLength(1);
    const [request] = trpcRequests();
    expect(request!.method).toBe("GET");
    expect(request!.url.searchParams.get("batch")).toBe("1");
    expect(proceduresOf(request!)).toEqual(Array(20).fill("get"));
    // The server saw 20 procedure calls from that one request.
    expect(server.calls.filter((c) => c.procedure === "get")).toHaveLength(20);
  });

  it("sends concurrent mutations (set, delete, invalidate) as ONE POST", async () => {
    const { trpcRequests } = countingClient();
    const [a, b, d, job] = await Promise.all([
      cache.set("m-a", 1),
      cache.set("m-b", 2),
      cache.delete("m-c"),
      cache.invalidate({ tags: ["t"] }),
    ]);
    expect([a.queued, b.queued, d.queued, job.queued]).toEqual([false, false, false, false]);
    expect(trpcRequests()).toHaveLength(1);
    expect(trpcRequests()[0]!.method).toBe("POST");
    expect(proceduresOf(trpcRequests()[0]!).sort()).toEqual(["delete", "invalidate", "set", "set"]);
    expect(server.received.map((r) => r.procedure).sort()).toEqual(["delete", "invalidate", "set", "set"]);
  });

  it("batches different queries together (get, stats, jobStatus) and keeps queries apart from mutations", async () => {
    const { trpcRequests } = countingClient();
    const job = await cache.invalidate({ keys: ["x"] });
    const before = trpcRequests().length;
    const [entry, stats, status, written] = await Promise.all([
      cache.get("q-1"),
      cache.stats(),
      cache.jobStatus(job.id!),
      cache.set("q-2", "v"),
    ]);
    expect(entry.found).toBe(false);
    expect(stats.namespace).toBe("batch");
    expect(status.id).toBe(job.id);
    expect(written.queued).toBe(false);
    const sent = trpcRequests().slice(before);
    // One GET for the three queries and one POST for the mutation: two requests, not four.
    expect(sent.map((r) => r.method).sort()).toEqual(["GET", "POST"]);
    expect(proceduresOf(sent.find((r) => r.method === "GET")!).sort()).toEqual(["get", "stats", "status"]);
    expect(proceduresOf(sent.find((r) => r.method === "POST")!)).toEqual(["set"]);
  });

  it("calls made one after another are separate requests (batching is per tick, not a delay)", async () => {
    const { trpcRequests } = countingClient();
    await cache.get("s-1");
    await cache.get("s-2");
    expect(trpcRequests()).toHaveLength(2);
  });

  it("splits a batch whose URL would grow too long, and still answers every call", async () => {
    const { trpcRequests } = countingClient();
    // 30 keys of ~500 characters (the contract allows 512 bytes): one GET URL would be ~16 KB,
    // past what many proxies accept, so the transport splits it.
    const keys = Array.from({ length: 30 }, (_, i) => `${String(i).padStart(2, "0")}-${"x".repeat(497)}`);
    const results = await Promise.all(keys.map((key) => cache.get(key)));
    expect(results.every((r) => r.found === false)).toBe(true);
    const sent = trpcRequests();
    expect(sent.length).toBeGreaterThan(1);
    expect(sent.length).toBeLessThan(30);
    for (const request of sent) expect(request.url.href.length).toBeLessThanOrEqual(6_500);
    expect(sent.flatMap(proceduresOf)).toHaveLength(30);
  });

  it("splits 300 concurrent sets into batches of at most maxBatchSize (50) and applies every one", async () => {
    const { trpcRequests } = countingClient();
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => cache.set(`many-${i}`, { i })));
    expect(results.every((r) => r.queued === false)).toBe(true);
    const sent = trpcRequests();
    expect(sent.length).toBe(6);
    for (const request of sent) expect(proceduresOf(request).length).toBeLessThanOrEqual(50);
    expect(server.received.filter((r) => r.procedure === "set")).toHaveLength(300);
    expect(server.values.get("batch:many-299")?.value).toEqual({ i: 299 });
  });

  it("follows a lower maxBatchSize for queries too", async () => {
    const { trpcRequests } = countingClient({ maxBatchSize: 7 });
    await Promise.all(Array.from({ length: 30 }, (_, i) => cache.get(`few-${i}`)));
    expect(trpcRequests().map((r) => proceduresOf(r).length)).toEqual([7, 7, 7, 7, 2]);
  });

  it("splits by body bytes: values that together pass maxBatchBytes go in several POSTs, each under it", async () => {
    const { trpcRequests } = countingClient({ maxBatchBytes: 64 * 1024 });
    const value = "é".repeat(10_000); // 20,000 bytes of UTF-8 in 10,000 characters: bytes, not characters, are counted
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => cache.set(`big-${i}`, value)));
    expect(results.every((r) => r.queued === false)).toBe(true);
    const sent = trpcRequests();
    expect(sent.length).toBeGreaterThanOrEqual(4);
    for (const request of sent) expect(request.bodyBytes).toBeLessThanOrEqual(64 * 1024);
    expect(sent.flatMap(proceduresOf)).toHaveLength(10);
  });

  it("sends a call bigger than maxBatchBytes alone, so the server decides it", async () => {
    const { trpcRequests } = countingClient({ maxBatchBytes: 4096 });
    await Promise.all([cache.set("small-1", 1), cache.set("huge", "x".repeat(10_000)), cache.set("small-2", 2)]);
    // In call order: small-1 fits, huge does not fit beside it and goes alone, small-2 follows it.
    expect(trpcRequests()).toHaveLength(3);
    const alone = trpcRequests().find((r) => r.bodyBytes > 4096)!;
    expect(proceduresOf(alone)).toEqual(["set"]);
    expect(server.received.map((r) => r.input.key).sort()).toEqual(["huge", "small-1", "small-2"]);
  });
});
