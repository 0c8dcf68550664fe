/**
 * The CacheShard's SQLite schema, in one place and versioned. `ensureSchema` is idempotent and
 * runs in the constructor (sql.exec is synchronous, so no request can run before it finishes).
 */
export const SHARD_SCHEMA_VERSION = 3;

const STATEMENTS = [
  // One row per cached key. `value` holds UTF-8 JSON text, or gzip bytes when encoding = 'gzip'.
  // `negative` rows remember an origin 404 until stale_until.
  `CREATE TABLE IF NOT EXISTS entries (
     key TEXT PRIMARY KEY,
     value BLOB,
     encoding TEXT NOT NULL,
     version INTEGER NOT NULL,
     tags TEXT NOT NULL,
     written_at INTEGER NOT NULL,
     fresh_until INTEGER NOT NULL,
     stale_until INTEGER NOT NULL,
     size INTEGER NOT NULL,
     negative INTEGER NOT NULL DEFAULT 0
   )`,
  `CREATE INDEX IF NOT EXISTS entries_by_expiry ON entries (stale_until)`,
  // Tag index: invalidation by tag finds its keys without scanning entries.
  `CREATE TABLE IF NOT EXISTS entry_tags (
     tag TEXT NOT NULL,
     key TEXT NOT NULL,
     PRIMARY KEY (tag, key)
   ) WITHOUT ROWID`,
  `CREATE INDEX IF NOT EXISTS entry_tags_by_key ON entry_tags (key)`,
  // Results of mutations by idempotency key, kept at least 24 h so a replay is applied once.
  `CREATE TABLE IF NOT EXISTS idempotency (
     id TEXT PRIMARY KEY,
     operation TEXT NOT NULL,
     key TEXT NOT NULL,
     result TEXT NOT NULL,
     expires_at INTEGER NOT NULL
   )`,
  `CREATE INDEX IF NOT EXISTS idempotency_by_expiry ON idempotency (expires_at)`,
  `CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)`,
  // Write-behind outbox (v2): the latest acknowledged write per key not yet in the main database.
  // One row per key coalesces many writes into one; a row is removed only once the sink has
  // acknowledged that exact version. `value` is JSON text, NULL for a delete (tombstone);
  // `tags` (v3) is the entry's tags as a JSON array.
  `CREATE TABLE IF NOT EXISTS outbox (
     key TEXT PRIMARY KEY,
     namespace TEXT NOT NULL,
     version INTEGER NOT NULL,
     value TEXT,
     deleted INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     tags TEXT NOT NULL DEFAULT '[]'
   )`,
  `CREATE INDEX IF NOT EXISTS outbox_by_version ON outbox (version)`,
];

/** Changes to tables an older schema version created; CREATE TABLE IF NOT EXISTS does not alter them. */
const UPGRADES: { from: number; statements: string[] }[] = [
  { from: 2, statements: [`ALTER TABLE outbox ADD COLUMN tags TEXT NOT NULL DEFAULT '[]'`] },
];

export function ensureSchema(sql: SqlStorage): void {
  const stored = storedVersion(sql);
  for (const statement of STATEMENTS) sql.exec(statement);
  if (stored !== undefined) {
    for (const upgrade of UPGRADES) if (stored <= upgrade.from) for (const statement of upgrade.statements) sql.exec(statement);
  }
  sql.exec(
    `INSERT INTO meta (name, value) VALUES ('schema_version', ?)
     ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
    SHARD_SCHEMA_VERSION,
  );
}

/** The schema version this object's storage was created with; undefined for new storage. */
function storedVersion(sql: SqlStorage): number | undefined {
  const hasMeta = sql.exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'`).toArray().length > 0;
  if (!hasMeta) return undefined;
  return sql.exec<{ value: number }>(`SELECT value FROM meta WHERE name = 'schema_version'`).toArray()[0]?.value;
}
