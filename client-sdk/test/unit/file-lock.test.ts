// The file storage's writer lock: a lock left by a dead process, or one whose heartbeat stopped,
// is taken over; a live holder's is respected (its client replays, no one else). And a queue file
// written by the previous version is carried over, not dropped.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createCacheClient } from "../../src/index.ts";
import { fileStorage } from "../../src/node.ts";
import { fakeServerFixture } from "../support/fake-server-fixture.ts";

const fixture = fakeServerFixture();
const { clients } = fixture;

const client = (dir: string, url = fixture.server.url) => {
  const cache = createCacheClient({ url, storage: fileStorage(dir), network: null, retry: { initialDelayMs: 5, maxDelayMs: 20 } });
  clients.push(cache);
  return cache;
};

/** A queue directory holding one entry for `key`, queued by a client that has gone. */
async function queueOf(key: string): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), "sdk-lock-")), "queue");
  const down = createCacheClient({ url: "http://127.0.0.1:9", storage: fileStorage(dir), network: null });
  expect((await down.set(key, "v")).queued).toBe(true);
  await down.close();
  expect(existsSync(join(dir, ".lock"))).toBe(false); // released on close
  return dir;
}

function writeLock(dir: string, pid: number, ageMs = 0): void {
  const path = join(dir, ".lock");
  writeFileSync(path, JSON.stringify({ pid, hostname: hostname(), token: "someone-else" }));
  const at = new Date(Date.now() - ageMs);
  utimesSync(path, at, at);
}

const holderPid = (dir: string) => (JSON.parse(readFileSync(join(dir, ".lock"), "utf8")) as { pid: number }).pid;

describe("file storage lock", () => {
  it("takes over a lock whose process is dead, and replays", async () => {
    const dir = await queueOf("dead-holder");
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!; // exited: its pid names no process
    writeLock(dir, dead);
    const cache = client(dir);
    await cache.sync({ timeoutMs: 5_000 });
    expect(fixture.server.values.get("default:dead-holder")).toEqual({ value: "v", version: 1 });
    expect(holderPid(dir)).toBe(process.pid);
  });

  it("takes over a lock whose heartbeat is older than 10 s, even if its pid is alive", async () => {
    const dir = await queueOf("stale-heartbeat");
    writeLock(dir, process.ppid, 60_000);
    const cache = client(dir);
    await cache.sync({ timeoutMs: 5_000 });
    expect(fixture.server.values.get("default:stale-heartbeat")?.value).toBe("v");
    expect(holderPid(dir)).toBe(process.pid);
  });

  it("respects a live holder's lock: this client does not replay, but follows, and takes over once it is released", async () => {
    const dir = await queueOf("live-holder");
    writeLock(dir, process.ppid);
    const cache = client(dir);
    await cache.ready;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(fixture.server.received).toEqual([]);
    expect(cache.pending).toBe(1);
    expect(cache.status).toBe("syncing"); // someone else's turn to replay
    writeFileSync(join(dir, ".lock"), ""); // the holder is still creating it: judged by age only
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(fixture.server.received).toEqual([]);
    spawnSync("rm", [join(dir, ".lock")]); // released
    await cache.sync({ timeoutMs: 5_000 });
    expect(fixture.server.received.map((r) => r.input.key)).toEqual(["live-holder"]);
  });
});

describe("a queue file of the previous version (one JSON document)", () => {
  it("is carried over into one record per entry, in order, dead letters included", async () => {
    const base = mkdtempSync(join(tmpdir(), "sdk-v1-"));
    mkdirSync(base, { recursive: true });
    const path = join(base, "queue.json");
    const mutation = (id: string, value: number, queuedAt: number) => ({
      id,
      procedure: "set",
      input: { key: "v1-key", value, namespace: "default", idempotencyKey: `idem-${id}` },
      queuedAt,
    });
    writeFileSync(
      path,
      JSON.stringify({
        version: 1,
        mutations: [mutation("a", 1, Date.now() - 2_000), mutation("b", 2, Date.now() - 3_000)], // the clock went back: order is the document's
        deadLetters: [
          {
            mutation: mutation("c", 0, Date.now() - 5_000),
            error: { code: "BAD_REQUEST", message: "bad", status: 400 },
            failedAt: Date.now(),
          },
        ],
      }),
    );
    const cache = client(path);
    await cache.sync({ timeoutMs: 5_000 });
    expect(fixture.server.received.map((r) => [r.input.value, r.input.idempotencyKey])).toEqual([
      [1, "idem-a"],
      [2, "idem-b"],
    ]);
    expect(cache.deadLetters).toMatchObject([{ mutation: { id: "c" }, error: { code: "BAD_REQUEST" } }]);
    expect(existsSync(join(path, "legacy-v1.json"))).toBe(false);
  });
});
