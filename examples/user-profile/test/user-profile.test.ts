// The profile app against the real cache (`wrangler dev`) and its local D1: updates are
// acknowledged by the cache, coalesce per user, reach D1 in batches (after the flush interval, or
// at once with an admin flush) with exactly one row per user holding the last value and version,
// and a profile that exists only in D1 is served through the cache on a miss.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createCacheClient, type CacheClient, type NamespaceStats } from "@cache-sync/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findSecrets, saveLog } from "@cache-sync/dev-kit/secret-scan";
import { cacheTokensVar, issueToken } from "@cache-sync/dev-kit/tokens";
import { startDevServer, type DevServer } from "@cache-sync/dev-kit/wrangler-dev";
import { mainDbRows, queryMainDb, sqlText } from "../src/main-db.ts";
import { PROFILES_NAMESPACE, profileAppHandler, profilesNamespaceConfig, type Profile } from "../src/profiles.ts";

// Longer than the example's 2 s so that the nine updates and the stats snapshot below, which must all
// land before the first alarm flush, keep a wide margin on a slow machine; the alarm flush itself is
// still what the first test waits for.
const FLUSH_INTERVAL_MS = 10_000;
const app = issueToken("profile-app", ["read", "write"], [PROFILES_NAMESPACE]);
const ops = issueToken("ops", ["admin"], [PROFILES_NAMESPACE]);
let cache: DevServer;
let server: Server;
let appUrl: string;
let admin: CacheClient;
/** The last acknowledged profile and version of each user. */
const latest = new Map<string, { profile: Profile; version: number }>();
const profiles: unknown[] = [];

beforeAll(async () => {
  cache = await startDevServer({
    vars: {
      CACHE_CONFIG: { namespaces: { default: {}, [PROFILES_NAMESPACE]: profilesNamespaceConfig({ flushIntervalMs: FLUSH_INTERVAL_MS }) } },
      CACHE_TOKENS: cacheTokensVar([app, ops]),
    },
    logLevel: "log",
  });
  const handle = profileAppHandler({ cache: createCacheClient({ url: cache.url, token: app.token, offlineQueue: false }) });
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  admin = createCacheClient({ url: cache.url, token: ops.token, namespace: PROFILES_NAMESPACE, offlineQueue: false });
});

afterAll(async () => {
  server?.close();
  await cache?.stop();
});

async function update(userId: string, fields: Record<string, unknown>): Promise<{ status: number; version: number; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${appUrl}/profiles/${userId}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(fields),
  });
  const body = (await response.json()) as { profile: Profile; version: number };
  const ms = performance.now() - started;
  if (response.status === 200) {
    latest.set(userId, body);
    profiles.push(body.profile);
  }
  return { status: response.status, version: body.version, ms };
}

async function read(userId: string): Promise<{ status: number; state: string | null; version: string | null; body: unknown }> {
  const response = await fetch(`${appUrl}/profiles/${userId}`);
  return {
    status: response.status,
    state: response.headers.get("x-cache"),
    version: response.headers.get("x-version"),
    body: await response.json(),
  };
}

/** One expected D1 row per user: the last acknowledged value and version. */
const expectedRows = () =>
  [...latest.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, { profile, version }]) => ({ namespace: PROFILES_NAMESPACE, key, value: profile, version, deleted: 0 }));

const d1Rows = async () =>
  (await mainDbRows(cache.stateDir, PROFILES_NAMESPACE)).map(({ updated_at: _, value, ...row }) => ({
    ...row,
    value: JSON.parse(value ?? "null"),
  }));

describe("update profile: acknowledged by the cache, written behind to D1", () => {
  const users = ["u-ada", "u-bob", "u-cyd"];

  it("coalesces several updates of a few users and flushes them after the interval: one D1 row per user, last value and version", async () => {
    const started = Date.now();
    for (let round = 1; round <= 3; round++) {
      for (const userId of users) {
        const reply = await update(userId, {
          displayName: `${userId} v${round}`,
          email: `${userId}.r${round}@example.test`,
          theme: round % 2 ? "dark" : "light",
        });
        expect(reply.status).toBe(200);
      }
    }
    const before = await admin.stats();
    // Nine acknowledgements and this snapshot, all before the first flush was due (the alarm is set
    // at a shard's first write + the interval): the updates did not wait for D1, and the outbox holds
    // one row per user.
    expect(Date.now() - started, "the updates took longer than the flush interval").toBeLessThan(FLUSH_INTERVAL_MS);
    expect(before.writeBehind).toMatchObject({ pending: users.length, flushed: 0, lastFlushAt: null });
    // Each update is readable at once, through the cache.
    for (const userId of users)
      expect(await read(userId)).toMatchObject({ status: 200, state: "fresh", body: latest.get(userId)!.profile });

    // No flush() here: the shards' alarms flush on their own once the interval has passed.
    let stats: NamespaceStats = before;
    while (stats.writeBehind.pending > 0 && Date.now() - started < FLUSH_INTERVAL_MS + 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      stats = await admin.stats();
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(FLUSH_INTERVAL_MS);
    expect(stats.writeBehind).toMatchObject({ pending: 0, flushed: users.length, failedAttempts: 0 }); // 9 updates, 3 rows sent
    expect(stats.writeBehind.lastFlushAt).toBeGreaterThanOrEqual(started + FLUSH_INTERVAL_MS);

    expect(await d1Rows()).toEqual(expectedRows());
  });

  it("an admin flush() sends pending updates at once; D1 keeps one row per user, now with the newer version", async () => {
    const first = await update("u-ada", { displayName: "Ada L.", email: "ada@example.test", theme: "dark" });
    const second = await update("u-ada", { displayName: "Ada Lovelace", email: "ada@example.test", theme: "light" });
    expect(second.version).toBeGreaterThan(first.version);
    expect((await admin.stats()).writeBehind.pending).toBe(1);

    expect(await admin.flush()).toEqual({ flushed: 1, pending: 0, deadLetters: 0 });
    expect((await admin.stats()).writeBehind).toMatchObject({ pending: 0, flushed: users.length + 1 });
    const rows = await d1Rows();
    expect(rows).toEqual(expectedRows());
    expect(rows.find((row) => row.key === "u-ada")).toMatchObject({ version: second.version, value: { displayName: "Ada Lovelace" } });
  });
});

describe("get profile: a miss reads D1 through the cache", () => {
  it("serves a profile that exists only in D1, then from the cache", async () => {
    const profile = { userId: "u-dee", displayName: "Dee from D1", email: "dee@example.test", theme: "light" };
    profiles.push(profile);
    const version = 1_700_000_000_000;
    await queryMainDb(
      cache.stateDir,
      `INSERT INTO cache_records (namespace, key, value, version, updated_at, deleted)
       VALUES (${sqlText(PROFILES_NAMESPACE)}, 'u-dee', ${sqlText(JSON.stringify(profile))}, ${version}, ${version}, 0)`,
    );
    const { originFetches } = await admin.stats();

    expect(await read("u-dee")).toEqual({ status: 200, state: "miss", version: String(version), body: profile });
    expect(await read("u-dee")).toEqual({ status: 200, state: "fresh", version: String(version), body: profile });
    expect((await admin.stats()).originFetches).toBe(originFetches + 1); // one D1 read for both requests
    // A user in neither the cache nor D1 is a 404.
    expect((await read("u-nobody")).status).toBe(404);
  });
});

describe("the cache's output", () => {
  it("holds no token and no profile", () => {
    const file = saveLog("user-profile", cache.output());
    expect(findSecrets(cache.output(), { tokens: [app.token, ops.token], values: profiles }), `see ${file}`).toEqual([]);
  });
});
