import { describe, expect, it } from "vitest";
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { CacheShard } from "../shard/cache-shard.ts";
import { loadConfig, namespaceSettings } from "../config/load-config.ts";
import { shardName } from "../routing/shard-routing.ts";
import { purgeBehave, purgeCalls } from "../../test/support/purge-control.ts";
import { mutate, ok, query } from "../../test/support/trpc-http.ts";
import { uniqueKey } from "../../test/support/origin-control.ts";
import { inShard, inCoordinator } from "../../test/support/in-object.ts";

function shardsOf(namespace: string): DurableObjectStub<CacheShard>[] {
  const { shards } = namespaceSettings(loadConfig(env.CACHE_CONFIG), namespace);
  return Array.from({ length: shards }, (_, i) => env.CACHE_SHARD.get(env.CACHE_SHARD.idFromName(shardName(namespace, i))));
}

/** Moves every shard of the namespace past its flush interval and runs its alarm, as time passing would. */
async function flushByAlarm(namespace: string, advanceMs: number): Promise<void> {
  for (const shard of shardsOf(namespace)) {
    await inShard(shard, (s) => s.clock.advance(advanceMs));
    await runDurableObjectAlarm(shard);
  }
}

const dbRows = async (namespace: string) =>
  (
    await env.MAIN_DB.prepare("SELECT key, value, version, deleted, updated_at FROM cache_records WHERE namespace = ? ORDER BY key")
      .bind(namespace)
      .all<{ key: string; value: string | null; version: number; deleted: number; updated_at: number }>()
  ).results;

const stats = (namespace: string) => ok(query("stats", { namespace }));

describe("write-behind to D1", () => {
  it("50 writes to 10 keys reach the database as exactly 10 rows, the last of each, in few writes", async () => {
    const last = new Map<string, { value: unknown; version: number }>();
    for (let i = 0; i < 50; i++) {
      const key = `acct-${i % 10}`;
      const value = { balance: i, history: [i] };
      const { version } = await ok(mutate("set", { namespace: "ledger", key, value }));
      last.set(key, { value, version });
    }
    expect(await dbRows("ledger")).toHaveLength(0); // acknowledged, not yet flushed
    expect((await stats("ledger")).writeBehind.pending).toBe(10);

    await flushByAlarm("ledger", 60_001);

    const rows = await dbRows("ledger");
    expect(rows).toHaveLength(10);
    for (const row of rows) {
      expect(JSON.parse(row.value!)).toEqual(last.get(row.key)!.value);
      expect(row.version).toBe(last.get(row.key)!.version);
      expect(row.deleted).toBe(0);
    }
    const after = await stats("ledger");
    // The sink saw 10 row writes in at most one batch per shard, instead of 50.
    expect(after.writeBehind).toMatchObject({ pending: 0, flushed: 10, failedAttempts: 0 });
    expect(after.writeBehind.lastFlushAt).toEqual(expect.any(Number));
  });

  it("a delete reaches the database as a tombstone, and the key reads as gone before the flush", async () => {
    await ok(mutate("delete", { namespace: "ledger", key: "acct-3" }));
    expect(await ok(query("get", { namespace: "ledger", key: "acct-3" }))).toMatchObject({ found: false });
    await flushByAlarm("ledger", 60_001);
    const row = (await dbRows("ledger")).find((r) => r.key === "acct-3")!;
    expect(row).toMatchObject({ deleted: 1, value: null });
    // A miss now reads the tombstone from the database: still gone, no resurrection.
    expect(await ok(query("get", { namespace: "ledger", key: "acct-3" }))).toMatchObject({ found: false });
  });

  it("writeBehind: false writes only the cache", async () => {
    await ok(mutate("set", { namespace: "ledger", key: "cache-only", value: 1, writeBehind: false }));
    expect((await stats("ledger")).writeBehind.pending).toBe(0);
  });

  it("a batch delivered twice leaves the database unchanged the second time", async () => {
    const key = "acct-1";
    const before = (await dbRows("ledger")).find((r) => r.key === key)!;
    // The shard crashed after the sink acknowledged: the same rows are still in its outbox,
    // and an older version of the key too (a reordered redelivery).
    for (const shard of shardsOf("ledger")) {
      await inShard(shard, (_s, state) => {
        state.storage.sql.exec(
          `INSERT OR REPLACE INTO outbox (key, namespace, version, value, deleted, updated_at) VALUES (?, 'ledger', ?, ?, 0, ?)`,
          key,
          before.version,
          before.value,
          before.updated_at + 5,
        );
        state.storage.sql.exec(
          `INSERT OR REPLACE INTO outbox (key, namespace, version, value, deleted, updated_at) VALUES (?, 'ledger', ?, '"older"', 0, ?)`,
          `${key}-older-twin`,
          1,
          before.updated_at,
        );
      });
    }
    expect(await ok(mutate("flush", { namespace: "ledger" }))).toMatchObject({ pending: 0 });
    const after = (await dbRows("ledger")).find((r) => r.key === key)!;
    expect(after).toEqual(before);
    // Replaying a version older than the row is refused by the database too.
    await env.MAIN_DB.prepare("UPDATE cache_records SET version = 5 WHERE key = ?").bind(`${key}-older-twin`).run();
    for (const shard of shardsOf("ledger")) {
      await inShard(shard, (_s, state) => {
        state.storage.sql.exec(
          `INSERT OR REPLACE INTO outbox (key, namespace, version, value, deleted, updated_at) VALUES (?, 'ledger', 2, '"stale"', 0, 0)`,
          `${key}-older-twin`,
        );
      });
    }
    await ok(mutate("flush", { namespace: "ledger" }));
    expect((await dbRows("ledger")).find((r) => r.key === `${key}-older-twin`)).toMatchObject({ version: 5, value: '"older"' });
  });
});

describe("sink outages", () => {
  it("writes keep being acknowledged while the sink is down; when it returns everything arrives once, latest version", async () => {
    await purgeBehave("wb-sink", { failTimes: 1_000, failStatus: 503 });
    const last = new Map<string, number>();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 6; i++) {
        const key = `order-${i}`;
        last.set(key, (await ok(mutate("set", { namespace: "ledger-http", key, value: { round } }))).version);
      }
      await flushByAlarm("ledger-http", 60_000); // several flush intervals (and backoffs) pass
    }
    const down = await stats("ledger-http");
    expect(down.writeBehind.pending).toBe(6);
    expect(down.writeBehind.failedAttempts).toBeGreaterThanOrEqual(3);
    expect(down.writeBehind.flushed).toBe(0);

    await purgeBehave("wb-sink", {}); // the sink is back
    await flushByAlarm("ledger-http", 10 * 60_000);
    const delivered = (await purgeCalls("wb-sink"))
      .filter((call) => call.status === 200)
      .flatMap((call) => (call.body as unknown as { batchId: string; records: { key: string; version: number; value: string }[] }).records);
    expect(delivered.map((r) => r.key).sort()).toEqual([...last.keys()].sort());
    for (const record of delivered) {
      expect(record.version).toBe(last.get(record.key));
      expect(JSON.parse(record.value)).toEqual({ round: 2 });
    }
    // maxBatch is 4: batches carry at most 4 records and each has an id.
    for (const call of (await purgeCalls("wb-sink")).filter((c) => c.status === 200)) {
      const batch = call.body as unknown as { batchId: string; records: unknown[] };
      expect(batch.batchId).toEqual(expect.any(String));
      expect(batch.records.length).toBeLessThanOrEqual(4);
    }
    expect((await stats("ledger-http")).writeBehind).toMatchObject({ pending: 0, flushed: 6 });
  });
});

describe("read-through from the main database", () => {
  it("a miss reads the row an earlier flush wrote; 100 concurrent misses make one database read", async () => {
    const key = uniqueKey("profile");
    await env.MAIN_DB.prepare(
      "INSERT INTO cache_records (namespace, key, value, version, updated_at, deleted) VALUES ('profiles', ?, ?, 42, 0, 0)",
    )
      .bind(key, JSON.stringify({ name: "Ada" }))
      .run();
    const before = (await stats("profiles")).originFetches;
    const replies = await Promise.all(Array.from({ length: 100 }, () => ok(query("get", { namespace: "profiles", key }))));
    for (const reply of replies) expect(reply).toMatchObject({ found: true, value: { name: "Ada" }, version: 42 });
    expect((await stats("profiles")).originFetches - before).toBe(1);
  });

  it("a value written, flushed and then expired from the cache is read back from the database", async () => {
    const key = uniqueKey("profile");
    const { version } = await ok(mutate("set", { namespace: "profiles", key, value: { name: "Grace" }, ttlMs: 1_000, staleMs: 0 }));
    await ok(mutate("flush", { namespace: "profiles" }));
    await flushByAlarm("profiles", 2_000); // past the entry's lifetime: the sweep drops it
    expect(await ok(query("get", { namespace: "profiles", key }))).toMatchObject({
      found: true,
      value: { name: "Grace" },
      version,
      source: "origin",
    });
  });

  it("an entry read back from the database keeps its tags, so tag invalidation still finds it", async () => {
    const key = uniqueKey("profile");
    const tags = ["team:blue", "plan:pro"];
    await ok(mutate("set", { namespace: "profiles", key, value: { name: "Hedy" }, tags, ttlMs: 1_000, staleMs: 0 }));
    await ok(mutate("flush", { namespace: "profiles" }));
    const row = await env.MAIN_DB.prepare("SELECT tags FROM cache_records WHERE namespace = 'profiles' AND key = ?")
      .bind(key)
      .first<{ tags: string }>();
    expect(JSON.parse(row!.tags)).toEqual(tags);
    await flushByAlarm("profiles", 2_000); // the sweep drops the cached copy
    expect(await ok(query("get", { namespace: "profiles", key }))).toMatchObject({ found: true, source: "origin", tags });

    // The shards' clocks were moved forward; move the coordinator's as far, so "written before the
    // job" compares like with like.
    const offsets = await Promise.all(shardsOf("profiles").map((shard) => inShard(shard, (s) => s.clock.offsetMs)));
    const coordinator = env.COORDINATOR.get(env.COORDINATOR.idFromName("profiles"));
    await inCoordinator(coordinator, (c) => c.clock.advance(Math.max(...offsets) - c.clock.offsetMs + 1));
    const job = await ok(mutate("invalidate", { namespace: "profiles", tags: ["team:blue"] }));
    let status = job;
    for (let i = 0; i < 100 && status.state !== "completed" && status.state !== "failed"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = await ok(query("status", { namespace: "profiles", id: job.id }));
    }
    expect(status).toMatchObject({ state: "completed", invalidatedKeys: 1 });
    // Purged from the cache, so the next read loads it from the database again (not from memory).
    expect(await ok(query("get", { namespace: "profiles", key }))).toMatchObject({ found: true, source: "origin", tags });
  });
});
