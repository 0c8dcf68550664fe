// What the offline queue refuses, and says so: a mutation the storage could not save is not
// reported as queued (QUEUE_STORAGE_FAILED), the queue has a bound (QUEUE_FULL), and an entry older
// than the server's idempotency window is not replayed blindly (EXPIRED in the dead letters).
import { afterEach, describe, expect, it, vi } from "vitest";
import { createCacheClient, memoryStorage, type CacheClientOptions, type CacheEvent } from "../../src/index.ts";
import { chaosStorage, switchableFetch } from "../support/chaos-storage.ts";
import { fakeServerFixture } from "../support/fake-server-fixture.ts";

const fixture = fakeServerFixture();
const { clients } = fixture;
afterEach(() => {
  vi.useRealTimers();
});

const client = (options: Partial<CacheClientOptions> = {}) => {
  const cache = createCacheClient({
    url: fixture.server.url,
    network: null,
    retry: { initialDelayMs: 5, maxDelayMs: 20 },
    ...options,
  } as CacheClientOptions);
  clients.push(cache);
  return cache;
};

const HOUR = 3_600_000;

describe("a storage that fails to save", () => {
  it("makes an offline set reject with QUEUE_STORAGE_FAILED, and nothing is queued or replayed", async () => {
    const storage = chaosStorage();
    const net = switchableFetch();
    const cache = client({ storage, fetch: net.fetch });
    await cache.ready;
    storage.failWrites = true;
    const failure = await cache.set("unsaved", 1).catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: "CacheError", code: "QUEUE_STORAGE_FAILED", retryable: false });
    expect((failure as Error).cause).toMatchObject({ name: "QuotaExceededError" });
    expect(cache.pending).toBe(0);
    expect(cache.status).toBe("offline");
    // Once the storage works again, the next write is queued and replayed; the refused one never is.
    storage.failWrites = false;
    const next = await cache.set("saved", 2);
    expect(next.queued).toBe(true);
    net.down = false;
    await cache.sync({ timeoutMs: 5_000 });
    expect(fixture.server.received.map((r) => r.input.key)).toEqual(["saved"]);
    expect(fixture.server.values.has("default:unsaved")).toBe(false);
  });

  it("a replay whose removal cannot be saved is applied once, reported, and removed once the storage recovers", async () => {
    const storage = chaosStorage();
    const net = switchableFetch();
    const events: CacheEvent[] = [];
    const cache = client({ storage, fetch: net.fetch });
    cache.subscribe((e) => events.push(e));
    const outcome = await cache.set("ack-lost", "v");
    if (!outcome.queued) throw new Error("expected the write to be queued");
    storage.failWrites = true;
    net.down = false;
    await expect(outcome.applied).resolves.toMatchObject({ version: 1 });
    await vi.waitFor(() => expect(events.some((e) => e.type === "storage-error")).toBe(true));
    await new Promise((resolve) => setTimeout(resolve, 100)); // retries meanwhile must not send it again
    expect(fixture.server.received.filter((r) => r.input.key === "ack-lost")).toHaveLength(1);
    expect(cache.pending).toBe(0);
    storage.failWrites = false;
    await vi.waitFor(async () => expect((await storage.list()).filter((r) => r.kind === "mutation")).toEqual([]), { timeout: 5_000 });
    expect(fixture.server.received.filter((r) => r.input.key === "ack-lost")).toHaveLength(1);
  });

  it("clearDeadLetters rejects with QUEUE_STORAGE_FAILED and keeps the list", async () => {
    const storage = chaosStorage();
    const cache = client({ storage });
    fixture.server.failSequence(["SERVICE_UNAVAILABLE", "BAD_REQUEST"]);
    await cache.set("dl", 1);
    await cache.sync({ timeoutMs: 5_000 });
    expect(cache.deadLetters).toHaveLength(1);
    storage.failWrites = true;
    await expect(cache.clearDeadLetters()).rejects.toMatchObject({ code: "QUEUE_STORAGE_FAILED" });
    expect(cache.deadLetters).toHaveLength(1);
  });
});

describe("maxQueued", () => {
  it("rejects the mutation past the bound with QUEUE_FULL, for every client of the storage", async () => {
    const storage = memoryStorage();
    const net = switchableFetch();
    const cache = client({ storage, fetch: net.fetch, maxQueued: 3 });
    for (let i = 0; i < 3; i++) expect((await cache.set(`full-${i}`, i)).queued).toBe(true);
    await expect(cache.set("full-3", 3)).rejects.toMatchObject({ name: "CacheError", code: "QUEUE_FULL", retryable: false });
    await expect(cache.delete("full-0")).rejects.toMatchObject({ code: "QUEUE_FULL" });
    expect(cache.pending).toBe(3);
    const other = client({ storage, fetch: net.fetch, maxQueued: 3 });
    await other.ready;
    await expect(other.set("other", 1)).rejects.toMatchObject({ code: "QUEUE_FULL" });
    // Room again once the queue drains.
    net.down = false;
    await cache.sync({ timeoutMs: 5_000 });
    expect((await cache.set("after", 1)).queued).toBe(false);
    expect(fixture.server.received.map((r) => r.input.key)).toEqual(["full-0", "full-1", "full-2", "after"]);
  });

  it("defaults to 10,000", async () => {
    const cache = client({ fetch: switchableFetch().fetch, retry: { initialDelayMs: 60_000, maxDelayMs: 60_000 } });
    for (let i = 0; i < 10_000; i++) await cache.set(`bound-${i}`, i);
    expect(cache.pending).toBe(10_000);
    await expect(cache.set("bound-10000", 1)).rejects.toMatchObject({ code: "QUEUE_FULL" });
  });

  it("rejects a bound, window or policy that makes no sense, naming it", () => {
    expect(() => createCacheClient({ url: fixture.server.url, maxQueued: 0 })).toThrow(/maxQueued must be a positive whole number/);
    expect(() => createCacheClient({ url: fixture.server.url, maxQueued: 1.5 })).toThrow(/maxQueued/);
    expect(() => createCacheClient({ url: fixture.server.url, replayWindowMs: -1 })).toThrow(/replayWindowMs/);
    expect(() => createCacheClient({ url: fixture.server.url, expiredPolicy: "drop" as never })).toThrow(
      /expiredPolicy must be "dead-letter" or "replay"/,
    );
  });
});

describe("an entry older than the replay window", () => {
  /** Queues `key` while the server is down, then moves the clock `laterMs` ahead. */
  async function queueThenWait(key: string, laterMs: number, options: Partial<CacheClientOptions> = {}) {
    vi.useFakeTimers({ toFake: ["Date"] });
    const storage = memoryStorage();
    const down = client({ storage, fetch: switchableFetch().fetch });
    const outcome = await down.set(key, "old");
    expect(outcome.queued).toBe(true);
    await down.close();
    vi.setSystemTime(Date.now() + laterMs);
    const events: CacheEvent[] = [];
    const cache = client({ storage, ...options });
    cache.subscribe((e) => events.push(e));
    await cache.ready;
    await cache.sync({ timeoutMs: 5_000 });
    return { cache, events };
  }

  it("moves to the dead letters with EXPIRED instead of being replayed (default window 24 h)", async () => {
    const { cache, events } = await queueThenWait("expired", 24 * HOUR + 60_000);
    expect(fixture.server.received.filter((r) => r.input.key === "expired")).toEqual([]);
    expect(cache.deadLetters).toHaveLength(1);
    expect(cache.deadLetters[0]).toMatchObject({
      mutation: { procedure: "set", input: { key: "expired" } },
      error: { code: "EXPIRED", status: 0 },
    });
    expect(cache.deadLetters[0]!.error.message).toMatch(/replayWindowMs/);
    expect(events.filter((e) => e.type === "dead-letter")).toHaveLength(1);
    expect(cache.pending).toBe(0);
  });

  it("within the window it is replayed", async () => {
    const { cache } = await queueThenWait("fresh-enough", 23 * HOUR);
    expect(fixture.server.values.get("default:fresh-enough")).toEqual({ value: "old", version: 1 });
    expect(cache.deadLetters).toEqual([]);
  });

  it('is replayed anyway under expiredPolicy: "replay", and the window is an option', async () => {
    const { cache } = await queueThenWait("replayed", 30 * HOUR, { expiredPolicy: "replay" });
    expect(fixture.server.values.get("default:replayed")).toEqual({ value: "old", version: 1 });
    expect(cache.deadLetters).toEqual([]);
    const short = await queueThenWait("short-window", 2 * HOUR, { replayWindowMs: HOUR });
    expect(short.cache.deadLetters[0]).toMatchObject({ error: { code: "EXPIRED" } });
  });

  it("rejects the queuing client's `applied` promise with EXPIRED", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const net = switchableFetch();
    const cache = client({ fetch: net.fetch });
    const outcome = await cache.set("expired-promise", 1);
    if (!outcome.queued) throw new Error("expected the write to be queued");
    vi.setSystemTime(Date.now() + 25 * HOUR);
    net.down = false;
    await expect(outcome.applied).rejects.toMatchObject({ name: "CacheError", code: "EXPIRED" });
    expect(fixture.server.received).toEqual([]);
  });
});
