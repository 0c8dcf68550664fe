// The shard's schema upgrades storage an older version created (CREATE TABLE IF NOT EXISTS alone
// would leave an old outbox without its tags column, and every write-behind set would then fail).
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ensureSchema, SHARD_SCHEMA_VERSION } from "./schema.ts";

const columns = (sql: SqlStorage, table: string) =>
  sql
    .exec<{ name: string }>(`SELECT name FROM pragma_table_info(?)`, table)
    .toArray()
    .map((c) => c.name);

describe("shard schema", () => {
  it("adds the outbox's tags column to storage made by schema version 2, keeping its rows", async () => {
    const shard = env.CACHE_SHARD.get(env.CACHE_SHARD.idFromName("schema-upgrade-test"));
    await runInDurableObject(shard, (_instance, state) => {
      const { sql } = state.storage;
      // Put the storage back the way version 2 left it: an outbox without tags, and one pending row.
      sql.exec(`DROP TABLE outbox`);
      sql.exec(`CREATE TABLE outbox (key TEXT PRIMARY KEY, namespace TEXT NOT NULL, version INTEGER NOT NULL,
                value TEXT, deleted INTEGER NOT NULL, updated_at INTEGER NOT NULL)`);
      sql.exec(`INSERT INTO outbox VALUES ('k', 'ns', 7, '1', 0, 0)`);
      sql.exec(`UPDATE meta SET value = 2 WHERE name = 'schema_version'`);

      ensureSchema(sql);
      expect(columns(sql, "outbox")).toContain("tags");
      expect(sql.exec(`SELECT key, version, tags FROM outbox`).toArray()).toEqual([{ key: "k", version: 7, tags: "[]" }]);
      expect(sql.exec(`SELECT value FROM meta WHERE name = 'schema_version'`).one().value).toBe(SHARD_SCHEMA_VERSION);
      ensureSchema(sql); // and again: idempotent
      expect(columns(sql, "outbox").filter((c) => c === "tags")).toHaveLength(1);
    });
  });
});
