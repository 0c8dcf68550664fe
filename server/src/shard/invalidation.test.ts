// Issue 4: a shard's part of an invalidation job, called as the coordinator calls it.
import { describe, expect, it } from "vitest";
import { candidateStatements } from "./entry-store.ts";
import { CHUNK_ROWS, type ShardInvalidation } from "./invalidation.ts";
import { read, seed } from "../../test/support/bulk-entries.ts";
import { uniqueKey } from "../../test/support/origin-control.ts";
import { shardStub } from "../../test/support/shards.ts";
import { inShard } from "../../test/support/in-object.ts";

const ns = "tiny"; // one shard: every key lives on the same CacheShard

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

async function invalidate(key: string, overrides: Partial<ShardInvalidation>): Promise<number> {
  const outcome = await shardStub(ns, key).invalidate(request(overrides));
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.value.invalidatedKeys;
}

async function writtenAt(key: string): Promise<number> {
  return inShard(
    shardStub(ns, key),
    (_shard, state) => state.storage.sql.exec<{ written_at: number }>(`SELECT written_at FROM entries WHERE key = ?`, key).one().written_at,
  );
}

describe("shard invalidation", () => {
  it("invalidates an entry written at the acceptance time, and not one written a millisecond after it", async () => {
    const key = uniqueKey("boundary");
    await seed(ns, [{ key, value: 1, tags: ["edge"] }]);
    const at = await writtenAt(key);
    expect(await invalidate(key, { tags: ["edge"], acceptedAt: at - 1 })).toBe(0);
    expect((await read(ns, key)).found).toBe(true);
    expect(await invalidate(key, { tags: ["edge"], acceptedAt: at })).toBe(1);
    expect((await read(ns, key)).found).toBe(false);
  });

  it('mode "stale" ends freshness but keeps the value until staleUntil', async () => {
    const key = uniqueKey("soft");
    await seed(ns, [{ key, value: "v", ttlMs: 60_000, staleMs: 60_000 }]);
    expect(await invalidate(key, { keys: [key], mode: "stale" })).toBe(1);
    expect(await read(ns, key)).toMatchObject({ found: true, state: "stale", value: "v" });
  });

  it("tag, key and prefix selectors are answered by indexes in key order, never by scanning entries or sorting", async () => {
    const key = uniqueKey("plan");
    const statements = candidateStatements({ tags: ["a"], keys: ["k"], prefixes: ["p/"] }, "cursor", CHUNK_ROWS);
    const plans = await inShard(shardStub(ns, key), (_shard, state) =>
      statements.map(({ sql, params }) =>
        state.storage.sql
          .exec<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, ...params)
          .toArray()
          .map((row) => row.detail)
          .join(" | "),
      ),
    );
    expect(plans).toHaveLength(3);
    for (const plan of plans) {
      expect(plan).toMatch(/SEARCH entries USING (INDEX|PRIMARY KEY)/);
      expect(plan).not.toMatch(/\bSCAN\b/);
      expect(plan).not.toMatch(/TEMP B-TREE/); // key order comes from the index: a chunk's LIMIT stops the search
    }
    expect(plans.filter((plan) => plan.includes("SEARCH entry_tags USING PRIMARY KEY (tag=? AND key>?)"))).toHaveLength(1);
  });
});
