// Issue 8: a shard applies an invalidation in bounded chunks (≤ 1,000 rows per transaction, a
// bounded number per call), continuing until done, with exact counts and "written before" kept
// exact across chunks.
import { describe, expect, it } from "vitest";
import { CHUNK_ROWS, CHUNKS_PER_CALL, type ShardInvalidation, type ShardInvalidationResult } from "./invalidation.ts";
import { finishedJob } from "../../test/support/coordinator.ts";
import { shardStub } from "../../test/support/shards.ts";
import { mutate, ok } from "../../test/support/trpc-http.ts";
import { inShard } from "../../test/support/in-object.ts";

const ns = "inv-bulk"; // one shard

/** Inserts `count` entries "<label>-00000"… tagged `tag`, written at `writtenAt`, straight into the shard's SQLite. */
async function bulkInsert(label: string, tag: string, count: number, writtenAt: number): Promise<void> {
  await inShard(shardStub(ns, label), (_shard, state) => {
    const { sql } = state.storage;
    const series = `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?)`;
    sql.exec(
      `${series} INSERT INTO entries (key, value, encoding, version, tags, written_at, fresh_until, stale_until, size, negative)
       SELECT printf('%s-%05d', ?, i), '1', 'json', i + 1, json_array(?), ?, ?, ?, 1, 0 FROM n`,
      count - 1,
      label,
      tag,
      writtenAt,
      writtenAt + 3_600_000,
      writtenAt + 7_200_000,
    );
    sql.exec(`${series} INSERT INTO entry_tags (tag, key) SELECT ?, printf('%s-%05d', ?, i) FROM n`, count - 1, tag, label);
  });
}

const countRows = (label: string) =>
  inShard(
    shardStub(ns, label),
    (_shard, state) =>
      state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM entries WHERE key >= ? AND key < ?`, `${label}-`, `${label}.`).one()
        .n,
  );

function request(overrides: Partial<ShardInvalidation>): ShardInvalidation {
  return {
    namespace: ns,
    jobId: crypto.randomUUID(),
    tags: [],
    keys: [],
    prefixes: [],
    mode: "purge",
    acceptedAt: Date.now(),
    ...overrides,
  };
}

describe("chunked invalidation (issue 8)", () => {
  it("one call changes at most 1,000 rows per transaction and a bounded number of chunks, then continues where it stopped", async () => {
    const label = `chunks-${crypto.randomUUID()}`;
    const tag = `tag-${label}`;
    await bulkInsert(label, tag, 25_000, Date.now() - 1_000);
    const job = request({ tags: [tag] });
    const perTransaction: number[] = [];
    const first = await inShard(shardStub(ns, label), async (shard, state) => {
      // Count what each transaction of the shard removes: the bound is per transaction.
      const deps = (shard.cache as unknown as { deps: { transaction: <T>(work: () => T) => T } }).deps;
      const transaction = deps.transaction;
      const rows = () => state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM entries`).one().n;
      deps.transaction = (work) => {
        const before = rows();
        const result = transaction(work);
        perTransaction.push(before - rows());
        return result;
      };
      try {
        return await shard.cache.invalidate(job);
      } finally {
        deps.transaction = transaction;
      }
    });
    expect(first).toEqual({ invalidatedKeys: CHUNK_ROWS * CHUNKS_PER_CALL, done: false } satisfies ShardInvalidationResult);
    expect(perTransaction).toHaveLength(CHUNKS_PER_CALL);
    expect(Math.max(...perTransaction)).toBeLessThanOrEqual(CHUNK_ROWS);
    expect(await countRows(label)).toBe(25_000 - CHUNK_ROWS * CHUNKS_PER_CALL);

    // The same job again (the coordinator's next call, or its retry) goes on from there.
    const results: ShardInvalidationResult[] = [];
    for (let call = 0; call < 5 && results.at(-1)?.done !== true; call++) {
      const outcome = await shardStub(ns, label).invalidate(job);
      if (!outcome.ok) throw new Error(outcome.error.message);
      results.push(outcome.value);
    }
    expect(results).toEqual([
      { invalidatedKeys: 20_000, done: false },
      { invalidatedKeys: 25_000, done: true },
    ]);
    expect(await countRows(label)).toBe(0);
    // A finished job's retry is answered the same, and changes nothing.
    const again = await shardStub(ns, label).invalidate(job);
    expect(again).toEqual({ ok: true, value: { invalidatedKeys: 25_000, done: true } });
  });

  it("an entry written after the job's acceptance, between two chunks, survives; every other match is counted once", async () => {
    const label = `between-${crypto.randomUUID()}`;
    const tag = `tag-${label}`;
    await bulkInsert(label, tag, 12_000, Date.now() - 1_000);
    const acceptedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2)); // later writes get a later written_at
    // Two selectors matching the same keys (a tag and a prefix): each key is counted once.
    const job = request({ tags: [tag], prefixes: [`${label}-`], mode: "purge", acceptedAt });
    const first = await shardStub(ns, label).invalidate(job);
    expect(first).toEqual({ ok: true, value: { invalidatedKeys: 10_000, done: false } });
    // Between chunks: one key not reached yet is rewritten, one already done is written again.
    const ahead = `${label}-11500`;
    const behind = `${label}-00010`;
    for (const key of [ahead, behind]) await ok(mutate("set", { namespace: ns, key, value: "late", tags: [tag] }));
    const second = await shardStub(ns, label).invalidate(job);
    expect(second).toEqual({ ok: true, value: { invalidatedKeys: 11_999, done: true } });
    const survivors = await inShard(shardStub(ns, label), (_shard, state) =>
      state.storage.sql
        .exec<{ key: string }>(`SELECT key FROM entries WHERE key >= ? AND key < ? ORDER BY key`, `${label}-`, `${label}.`)
        .toArray()
        .map((row) => row.key),
    );
    expect(survivors).toEqual([behind, ahead]);
  });

  it("stale mode marks each match once across chunks, and counts it once", async () => {
    const label = `soft-${crypto.randomUUID()}`;
    const tag = `tag-${label}`;
    await bulkInsert(label, tag, 3_500, Date.now() - 1_000);
    const job = request({ tags: [tag, `${tag}-unused`], prefixes: [label], mode: "stale" });
    const outcome = await shardStub(ns, label).invalidate(job);
    expect(outcome).toEqual({ ok: true, value: { invalidatedKeys: 3_500, done: true } });
    const fresh = await inShard(
      shardStub(ns, label),
      (_shard, state) =>
        state.storage.sql
          .exec<{ n: number }>(
            `SELECT COUNT(*) AS n FROM entries WHERE key >= ? AND key < ? AND fresh_until > ?`,
            `${label}-`,
            `${label}.`,
            Date.now(),
          )
          .one().n,
    );
    expect(fresh).toBe(0);
    expect(await countRows(label)).toBe(3_500);
  });

  it("a shard with 50,000 keys under one tag is purged by one job to completed, with exact counts", { timeout: 120_000 }, async () => {
    const label = `mass-${crypto.randomUUID()}`;
    const tag = `tag-${label}`;
    await bulkInsert(label, tag, 50_000, Date.now() - 1_000);
    const queued = await ok(mutate("invalidate", { namespace: ns, tags: [tag] }));
    const done = await finishedJob(ns, queued.id);
    expect(done).toMatchObject({
      state: "completed",
      progress: 100,
      totalTargets: 1,
      completedTargets: 1,
      failedTargets: 0,
      invalidatedKeys: 50_000,
      errors: [],
    });
    expect(await countRows(label)).toBe(0);
    const tags = await inShard(
      shardStub(ns, label),
      (_shard, state) => state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM entry_tags WHERE tag = ?`, tag).one().n,
    );
    expect(tags).toBe(0);
  });
});
