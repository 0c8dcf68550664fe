// Issue 10: the coordinator's per-job records live apart from clients' idempotency keys, so a
// client that knows (or guesses) a job id cannot make that job's step on a shard fail.
import { describe, expect, it } from "vitest";
import { ensureSchema } from "./schema.ts";
import { finishedJob } from "../../test/support/coordinator.ts";
import { uniqueKey } from "../../test/support/origin-control.ts";
import { purgeBehave, purgeRelease, waitForPurgeCalls } from "../../test/support/purge-control.ts";
import { shardStub } from "../../test/support/shards.ts";
import { mutate, ok } from "../../test/support/trpc-http.ts";
import { inShard } from "../../test/support/in-object.ts";

const ns = "inv-memo"; // one shard; jobs run one target at a time behind a purge target the test can hold

describe("job memos and client idempotency keys (issue 10)", () => {
  it('a set whose idempotencyKey is "invalidate:<jobId>" does not make that job fail', async () => {
    const tag = `victim-${crypto.randomUUID()}`;
    const key = uniqueKey("victim");
    await ok(mutate("set", { namespace: ns, key, value: "before", tags: [tag] }));
    // Job A is held at the purge target; job B waits behind it, so its id is known before it runs.
    await purgeBehave("inv-memo", { hold: true });
    const held = await ok(mutate("invalidate", { namespace: ns, tags: [`other-${crypto.randomUUID()}`] }));
    await waitForPurgeCalls("inv-memo", 1, 10_000);
    const target = await ok(mutate("invalidate", { namespace: ns, tags: [tag] }));
    // A writer who knows B's id uses it as an idempotency key, on the very shard B will reach.
    const hostile = { namespace: ns, key: uniqueKey("hostile"), value: 1, idempotencyKey: `invalidate:${target.id}` };
    const first = await ok(mutate("set", hostile));
    await purgeRelease("inv-memo");
    await purgeBehave("inv-memo", {});

    expect((await finishedJob(ns, held.id)).state).toBe("completed");
    expect(await finishedJob(ns, target.id)).toMatchObject({ state: "completed", invalidatedKeys: 1, errors: [] });
    // The client's key still does its own job: a replay is answered with the first result ...
    expect(await ok(mutate("set", hostile))).toEqual(first);
    // ... and reusing it for a different mutation is still a 400.
    const reused = await mutate("delete", { namespace: ns, key: hostile.key, idempotencyKey: hostile.idempotencyKey });
    expect(reused.status).toBe(400);
    expect(reused.body.error.data.code).toBe("BAD_REQUEST");
  });

  it("the shard's own step answers for its job even when a client key with the job's memo name was stored first", async () => {
    const tag = `direct-${crypto.randomUUID()}`;
    const key = uniqueKey("direct");
    const jobId = crypto.randomUUID();
    await ok(mutate("set", { namespace: ns, key, value: 1, tags: [tag], idempotencyKey: `invalidate:${jobId}` }));
    const request = { namespace: ns, jobId, tags: [tag], keys: [], prefixes: [], mode: "purge" as const, acceptedAt: Date.now() };
    expect(await shardStub(ns, key).invalidate(request)).toEqual({ ok: true, value: { invalidatedKeys: 1, done: true } });
    // Its retry gets the same answer (the memo), not a second count.
    expect(await shardStub(ns, key).invalidate(request)).toEqual({ ok: true, value: { invalidatedKeys: 1, done: true } });
  });

  it("upgrading storage of schema version 3 moves job memos out of the clients' table, keeping their answers", async () => {
    const shard = shardStub(ns, "schema-v3");
    const jobId = crypto.randomUUID();
    await inShard(shard, (_shard, state) => {
      const { sql } = state.storage;
      // The way version 3 kept a shard's answer to a job, beside a client's key.
      sql.exec(`DROP TABLE job_memos`);
      sql.exec(`DROP TABLE dead_letters`);
      sql.exec(`DROP TABLE outbox`);
      sql.exec(`CREATE TABLE outbox (key TEXT PRIMARY KEY, namespace TEXT NOT NULL, version INTEGER NOT NULL, value TEXT,
                deleted INTEGER NOT NULL, updated_at INTEGER NOT NULL, tags TEXT NOT NULL DEFAULT '[]')`);
      sql.exec(`INSERT INTO outbox VALUES ('pending', ?, 3, '"héllo"', 0, 0, '[]')`, ns);
      sql.exec(
        `INSERT OR REPLACE INTO idempotency (id, operation, key, result, expires_at) VALUES (?, 'invalidate', ?, ?, ?)`,
        `invalidate:${jobId}`,
        ns,
        JSON.stringify({ invalidatedKeys: 7 }),
        Date.now() + 3_600_000,
      );
      sql.exec(
        `INSERT OR REPLACE INTO idempotency (id, operation, key, result, expires_at) VALUES ('client-key', 'set', 'k', '{}', ?)`,
        Date.now() + 3_600_000,
      );
      sql.exec(`UPDATE meta SET value = 3 WHERE name = 'schema_version'`);
      ensureSchema(sql);
      expect(sql.exec(`SELECT id FROM idempotency WHERE id IN (?, 'client-key')`, `invalidate:${jobId}`).toArray()).toEqual([
        { id: "client-key" },
      ]);
      expect(sql.exec(`SELECT invalidated, done FROM job_memos WHERE job_id = ?`, jobId).toArray()).toEqual([{ invalidated: 7, done: 1 }]);
      // The outbox row waiting to be flushed keeps its place, now with its size in bytes (UTF-8).
      expect(sql.exec(`SELECT key, bytes, refusals FROM outbox`).toArray()).toEqual([{ key: "pending", bytes: 8, refusals: 0 }]);
      sql.exec(`DELETE FROM outbox`);
    });
    // A retry of that job after the upgrade is answered from the moved memo.
    const request = { namespace: ns, jobId, tags: ["any"], keys: [], prefixes: [], mode: "purge" as const, acceptedAt: Date.now() };
    expect(await shard.invalidate(request)).toEqual({ ok: true, value: { invalidatedKeys: 7, done: true } });
  });
});
