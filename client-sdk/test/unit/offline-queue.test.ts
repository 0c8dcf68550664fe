// The offline queue against a stand-in server with injected outages: ordering, exactly-once
// replay by idempotency key, dead letters, read-your-writes and the status it reports.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createCacheClient, memoryStorage, type CacheClient, type CacheEvent, type CacheClientOptions } from "../../src/index.ts";
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
});

const client = (options: Partial<CacheClientOptions> = {}) =>
  (cache = createCacheClient({
    url: server.url,
    network: null,
    retry: { initialDelayMs: 5, maxDelayMs: 20 },
    ...options,
  } as CacheClientOptions));

describe("offline queue", () => {
  it("queues a write that meets a 503, keeps later writes behind it, and replays all in order once", async () => {
    const events: CacheEvent[] = [];
    client().subscribe((e) => events.push(e));
    server.failNext(1, "SERVICE_UNAVAILABLE");
    const first = await cache.set("order-1", 1);
    expect(first.queued).toBe(true);
    expect(cache.status).toBe("offline");
    const second = await cache.set("order-1", 2);
    const third = await cache.delete("order-2");
    expect([second.queued, third.queued]).toEqual([true, true]);
    expect(cache.pending).toBe(3);
    await cache.sync({ timeoutMs: 5_000 });
    expect(cache.pending).toBe(0);
    expect(cache.status).toBe("online");
    const sent = server.received.filter((r) => r.input.key === "order-1" || r.input.key === "order-2");
    // The 503 stopped the first send before the procedure; its replay came first, then the rest in order.
    expect(sent.map((r) => [r.procedure, r.input.key, r.input.value])).toEqual([
      ["set", "order-1", 1],
      ["set", "order-1", 2],
      ["delete", "order-2", undefined],
    ]);
    expect(server.values.get("default:order-1")).toEqual({ value: 2, version: 2 });
    expect(events.filter((e) => e.type === "applied")).toHaveLength(3);
    expect(events.some((e) => e.type === "status" && e.status === "syncing")).toBe(true);
  });

  it("a queued write's `applied` promise resolves with the server's result", async () => {
    client();
    server.failNext(1, "BAD_GATEWAY");
    const outcome = await cache.set("applied-1", { a: 1 });
    if (!outcome.queued) throw new Error("expected the write to be queued");
    expect(outcome.idempotencyKey).toMatch(/.{16,}/);
    await expect(outcome.applied).resolves.toMatchObject({ version: 1 });
  });

  it("moves a queued write the server rejects with 400 to the dead letters and goes on", async () => {
    const events: CacheEvent[] = [];
    client().subscribe((e) => events.push(e));
    server.failNext(1, "SERVICE_UNAVAILABLE");
    await cache.set("dl-before", "ok");
    const bad = await cache.set("dl-bad", "x", { tags: ["t".repeat(500)] });
    await cache.set("dl-after", "ok");
    await cache.sync({ timeoutMs: 5_000 });
    expect(cache.deadLetters).toHaveLength(1);
    expect(cache.deadLetters[0]).toMatchObject({
      mutation: { procedure: "set", input: { key: "dl-bad" } },
      error: { code: "BAD_REQUEST", status: 400 },
    });
    expect(events.filter((e) => e.type === "dead-letter")).toHaveLength(1);
    if (bad.queued) await expect(bad.applied).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(server.values.get("default:dl-after")?.value).toBe("ok");
    await cache.clearDeadLetters();
    expect(cache.deadLetters).toHaveLength(0);
  });

  it("answers get from a pending write (read-your-writes) and from the server once it is applied", async () => {
    client();
    server.failNext(1, "SERVICE_UNAVAILABLE");
    await cache.set("ryw", { v: 1 }, { tags: ["mine"] });
    expect(await cache.get("ryw")).toMatchObject({ found: true, value: { v: 1 }, pending: true, tags: ["mine"] });
    await cache.sync({ timeoutMs: 5_000 });
    expect(await cache.get("ryw")).toMatchObject({ found: true, value: { v: 1 }, pending: false, version: 1 });
  });

  it("with offlineQueue: false, an unreachable server is a NETWORK_ERROR for the caller", async () => {
    cache = createCacheClient({ url: "http://127.0.0.1:9", offlineQueue: false, network: null });
    await expect(cache.set("k", 1)).rejects.toMatchObject({ code: "NETWORK_ERROR", retryable: true });
  });

  it("a new client on the same storage resumes the queue", async () => {
    const storage = memoryStorage();
    const down = createCacheClient({ url: "http://127.0.0.1:9", storage, network: null });
    expect((await down.set("resume", "from-before")).queued).toBe(true);
    await down.close();
    client({ storage });
    await cache.ready;
    expect(cache.pending).toBe(1);
    await cache.sync({ timeoutMs: 5_000 });
    expect(server.values.get("default:resume")?.value).toBe("from-before");
  });
});

describe("bad input and options", () => {
  it("names the problem in the options", () => {
    expect(() => createCacheClient({} as CacheClientOptions)).toThrow(/url is required/);
    expect(() => createCacheClient({ url: "not a url" })).toThrow(/not a valid URL/);
    expect(() => createCacheClient({ url: "http://x", namespace: "Bad Name" })).toThrow(/namespace "Bad Name"/);
    expect(() => createCacheClient({ url: "http://x", timeoutMs: 0 })).toThrow(/timeoutMs/);
  });

  it("rejects a missing key or an undefined value before any request", async () => {
    client();
    await expect(cache.get("")).rejects.toThrow(/key must be a non-empty string/);
    await expect(cache.set("k", undefined as never)).rejects.toThrow(/JSON has no undefined/);
    expect(server.received).toHaveLength(0);
  });
});
