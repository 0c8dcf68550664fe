// Several clients on one storage (tabs of a page, processes on one directory): each adds its own
// records, the one holding the storage's lock replays every entry once, in each client's order,
// and the others follow: their `pending` and `status` stay true and their promises settle.
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createCacheClient, memoryStorage, type CacheClientOptions, type CacheEvent, type QueueStorage } from "../../src/index.ts";
import { fileStorage } from "../../src/node.ts";
import { switchableFetch } from "../support/chaos-storage.ts";
import { fakeServerFixture } from "../support/fake-server-fixture.ts";

const fixture = fakeServerFixture();
const { clients } = fixture;

const client = (options: Partial<CacheClientOptions>) => {
  const cache = createCacheClient({
    url: fixture.server.url,
    network: null,
    retry: { initialDelayMs: 5, maxDelayMs: 20 },
    ...options,
  } as CacheClientOptions);
  clients.push(cache);
  return cache;
};

const storages: Array<[string, () => QueueStorage]> = [
  ["memory", () => memoryStorage()],
  ["file", () => fileStorage(join(mkdtempSync(join(tmpdir(), "sdk-shared-")), "queue"))],
];

describe.each(storages)("two clients on one %s storage", (kind, makeStorage) => {
  it("every entry of both is applied exactly once, each client's in its order, and both clients' promises settle", async () => {
    const storage = makeStorage();
    const net = switchableFetch();
    const [a, b] = [client({ storage, fetch: net.fetch }), client({ storage, fetch: net.fetch })];
    const events: Record<string, CacheEvent[]> = { a: [], b: [] };
    a.subscribe((e) => events.a!.push(e));
    b.subscribe((e) => events.b!.push(e));
    const applied: Array<Promise<unknown>> = [];
    for (let i = 0; i < 20; i++) {
      for (const [name, cache] of [
        ["a", a],
        ["b", b],
      ] as const) {
        const outcome = await cache.set(`${kind}-${name}-key`, i);
        if (!outcome.queued) throw new Error("expected the write to be queued");
        applied.push(outcome.applied);
      }
    }
    // Each sees the whole queue: what waits is the storage's, whoever queued it.
    await expect.poll(() => [a.pending, b.pending]).toEqual([40, 40]);
    net.down = false;
    await Promise.all([a.sync({ timeoutMs: 10_000 }), b.sync({ timeoutMs: 10_000 })]);
    const results = (await Promise.all(applied)) as Array<{ version: number }>;
    expect(results.map((r) => r.version)).toEqual(Array.from({ length: 40 }, (_, i) => Math.floor(i / 2) + 1));
    for (const name of ["a", "b"]) {
      const sent = fixture.server.received.filter((r) => r.input.key === `${kind}-${name}-key`);
      expect(sent.map((r) => r.input.value)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(fixture.server.values.get(`default:${kind}-${name}-key`)).toEqual({ value: 19, version: 20 });
    }
    expect(new Set(fixture.server.received.map((r) => r.input.idempotencyKey)).size).toBe(40);
    expect(fixture.server.received).toHaveLength(40);
    await expect.poll(() => [a.pending, b.pending, a.status, b.status]).toEqual([0, 0, "online", "online"]);
    const appliedKeys = (list: CacheEvent[]) =>
      list.flatMap((e) => (e.type === "applied" && "key" in e.mutation.input ? [e.mutation.input.key] : []));
    // Each client hears of its own entries being applied, the replaying one of all.
    const [writer, follower] = appliedKeys(events.a!).length === 40 ? ["a", "b"] : ["b", "a"];
    expect(appliedKeys(events[writer]!)).toHaveLength(40);
    expect(appliedKeys(events[follower]!)).toEqual(Array.from({ length: 20 }, () => `${kind}-${follower}-key`));
    // Results kept for the follower are gone once it read them.
    await expect.poll(async () => (await storage.list()).map((r) => r.kind)).toEqual([]);
  });

  it("when the replaying client closes, the other takes over and replays the rest, nothing twice", async () => {
    const storage = makeStorage();
    const net = switchableFetch();
    const first = client({ storage, fetch: net.fetch });
    await first.ready;
    await new Promise((resolve) => setTimeout(resolve, 50)); // the first client takes the lock
    const second = client({ storage, fetch: net.fetch });
    const outcomes = [];
    for (let i = 0; i < 10; i++) outcomes.push(await second.set(`${kind}-handover`, i));
    await first.close();
    net.down = false;
    await second.sync({ timeoutMs: 10_000 });
    for (const outcome of outcomes)
      if (outcome.queued) await expect(outcome.applied).resolves.toMatchObject({ version: expect.any(Number) });
    expect(fixture.server.received.filter((r) => r.input.key === `${kind}-handover`).map((r) => r.input.value)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(second.status).toBe("online");
  });
});

describe("file storage", () => {
  it("keeps one file per entry, so clients never overwrite each other", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "sdk-files-")), "queue");
    const net = switchableFetch();
    const [a, b] = [client({ storage: fileStorage(dir), fetch: net.fetch }), client({ storage: fileStorage(dir), fetch: net.fetch })];
    await Promise.all([a.set("x", 1), b.set("y", 2), a.set("x", 3), b.set("y", 4)]);
    const files = readdirSync(dir).filter((name) => name.endsWith(".json"));
    expect(files).toHaveLength(4);
    expect(files.every((name) => /^m-\d{15}-[0-9a-z]+-\d{10}\.json$/.test(name))).toBe(true);
    await expect.poll(() => [a.pending, b.pending]).toEqual([4, 4]);
  });
});
