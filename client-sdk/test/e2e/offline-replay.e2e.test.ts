// The offline queue against the real Worker: mutations made while it is down are persisted to a
// file, replayed by a new client once it is up, in order and exactly once, across a second
// outage in the middle of the replay.
//
// How "exactly once, in order" shows: per key the queue holds set(ifVersion: 0), delete, set(ifVersion: 0),
// … — a set applied twice, or before its delete, is a CONFLICT (it would land in the dead letters),
// and a delete applied twice answers `deleted: false`.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevServer } from "@cache-sync/dev-kit/wrangler-dev";
import { createCacheClient, type CacheClient, type CacheEvent, type QueuedMutation } from "../../src/index.ts";
import { fileStorage } from "../../src/node.ts";
import { ADMIN_TOKEN, startCacheServer } from "../support/cache-server.ts";

const CONFIG = { namespaces: { default: {}, notes: {} } };
let server: DevServer | undefined;
let stateDir: string;
let serverUrl = "http://127.0.0.1:9"; // nobody listens: "the server is down"
/**
 * An outage in progress: the server's stop, from SIGTERM until wrangler has exited. A request sent
 * meanwhile still goes to the dying server (it may be applied or not, its answer may be lost), but
 * its outcome reaches the client only once the server is gone, so the replay cannot outrun the
 * shutdown: the next request finds nobody listening, however slow wrangler is to exit.
 */
let outage: Promise<void> | undefined;

// The client keeps one URL; this fetch sends it to wherever the server runs now (restarts change the port).
const client = (queueFile: string) =>
  createCacheClient({
    url: "http://cache.test",
    token: ADMIN_TOKEN,
    namespace: "notes",
    storage: fileStorage(queueFile),
    retry: { initialDelayMs: 50, maxDelayMs: 250 },
    timeoutMs: 5_000,
    fetch: async (input, init) => {
      const during = outage;
      const response = fetch(String(input instanceof Request ? input.url : input).replace("http://cache.test", serverUrl), init);
      if (during) {
        response.catch(() => {}); // settled (or failed) while we wait; rethrown below
        await during;
      }
      return response;
    },
  });

async function start(): Promise<void> {
  server = await startCacheServer(CONFIG, stateDir ? { stateDir } : {});
  stateDir = server.stateDir;
  serverUrl = server.url;
}

async function stop(): Promise<void> {
  await server?.stop();
  server = undefined;
  serverUrl = "http://127.0.0.1:9";
}

/** 20 keys × 10 steps, round-robin: set0, delete, set0, delete, …, set0, then a plain set with the final value. */
async function queueWorkload(cache: CacheClient, prefix: string): Promise<void> {
  for (let step = 0; step < 10; step++) {
    for (let k = 0; k < 20; k++) {
      const key = `${prefix}-${k}`;
      const value = { key, step };
      const outcome =
        step === 9 ? await cache.set(key, value) : step % 2 === 0 ? await cache.set(key, value, { ifVersion: 0 }) : await cache.delete(key);
      expect(outcome.queued).toBe(true);
    }
  }
}

const keyOf = (mutation: QueuedMutation) => ("key" in mutation.input ? mutation.input.key : undefined);

function recordApplied(cache: CacheClient): Array<{ mutation: QueuedMutation; result: unknown }> {
  const applied: Array<{ mutation: QueuedMutation; result: unknown }> = [];
  cache.subscribe((event: CacheEvent) => event.type === "applied" && applied.push(event));
  return applied;
}

async function expectAppliedOnceInOrder(cache: CacheClient, prefix: string, applied: Array<{ mutation: QueuedMutation; result: unknown }>) {
  expect(cache.deadLetters).toEqual([]);
  const ours = applied.filter((a) => keyOf(a.mutation)?.startsWith(`${prefix}-`));
  const deletes = ours.filter((a) => a.mutation.procedure === "delete");
  expect(deletes).toHaveLength(80);
  expect(deletes.every((a) => (a.result as { deleted: boolean }).deleted)).toBe(true);
  const check = createCacheClient({ url: serverUrl, token: ADMIN_TOKEN, namespace: "notes" });
  for (let k = 0; k < 20; k++) {
    const key = `${prefix}-${k}`;
    const last = ours.filter((a) => keyOf(a.mutation) === key).at(-1)!;
    const entry = await check.get(key);
    expect(entry).toMatchObject({ found: true, value: { key, step: 9 } });
    // Nothing was applied after the last recorded write of the key.
    expect(entry.version).toBe((last.result as { version: number }).version);
  }
  await check.close();
}

beforeAll(async () => {
  await start(); // creates the state directory and applies the D1 migrations
  await stop();
});

afterAll(stop);

describe("offline queue end to end", () => {
  it("200 mutations queued while the server is down are applied once and in order by a new client after it starts", async () => {
    const queueFile = join(mkdtempSync(join(tmpdir(), "sdk-queue-")), "queue.json");
    const offline = client(queueFile);
    await queueWorkload(offline, "a");
    expect(offline.pending).toBe(200);
    expect(offline.status).toBe("offline");
    await offline.close();

    const resumed = client(queueFile); // a process restart: same file, new client
    const applied = recordApplied(resumed);
    await resumed.ready;
    expect(resumed.pending).toBe(200);
    await start();
    await resumed.sync({ timeoutMs: 60_000 });
    expect(resumed.pending).toBe(0);
    expect(resumed.status).toBe("online");
    await expectAppliedOnceInOrder(resumed, "a", applied);
    await resumed.close();
  });

  it("a replay cut off halfway by a second outage resumes without applying anything twice", async () => {
    const queueFile = join(mkdtempSync(join(tmpdir(), "sdk-queue-")), "queue.json");
    await stop();
    const cache = client(queueFile);
    await queueWorkload(cache, "b");
    const applied = recordApplied(cache);
    const offlineAgain = new Promise<void>((resolve) =>
      cache.subscribe((event) => {
        if (event.type === "applied" && applied.length === 60) {
          // Set synchronously, before the queue sends its next mutation (events are emitted synchronously).
          outage = stop().finally(() => (outage = undefined));
        }
        if (event.type === "status" && event.status === "offline" && applied.length >= 60) resolve();
      }),
    );
    await start();
    void cache.sync().catch(() => {});
    await offlineAgain;
    expect(cache.pending).toBeGreaterThan(0);
    expect(cache.pending).toBeLessThan(200 - 59);
    await start();
    await cache.sync({ timeoutMs: 60_000 });
    await expectAppliedOnceInOrder(cache, "b", applied);
    await cache.close();
  });

  it("a queued mutation the server rejects with 400 goes to the dead letters with its error; the rest is applied", async () => {
    const queueFile = join(mkdtempSync(join(tmpdir(), "sdk-queue-")), "queue.json");
    await stop();
    const cache = client(queueFile);
    const deadLetters: CacheEvent[] = [];
    cache.subscribe((event) => event.type === "dead-letter" && deadLetters.push(event));
    await cache.set("c-before", 1);
    await cache.set("c-bad", 2, { writeBehind: true }); // "notes" has no write-behind: BAD_REQUEST
    await cache.set("c-after", 3);
    await start();
    await cache.sync({ timeoutMs: 30_000 });
    expect(cache.deadLetters).toHaveLength(1);
    expect(cache.deadLetters[0]).toMatchObject({ mutation: { input: { key: "c-bad" } }, error: { code: "BAD_REQUEST", status: 400 } });
    expect(cache.deadLetters[0]!.error.message).toMatch(/writeBehind/);
    expect(deadLetters).toHaveLength(1);
    expect((await cache.get("c-after")).value).toBe(3);
    await cache.close();
    // The dead letter is persisted with the queue.
    const reopened = client(queueFile);
    await reopened.ready;
    expect(reopened.deadLetters).toHaveLength(1);
    await reopened.close();
  });
});
