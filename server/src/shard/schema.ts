/**
 * The CacheShard's SQLite schema, in one place and versioned. `ensureSchema` is idempotent and
 * runs in the constructor (sql.exec is synchronous, so no request can run before it finishes).
 */
export const SHARD_SCHEMA_VERSION = 2;

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
  // acknowledged that exact version. `value` is JSON text, NULL for a delete (tombstone).
  `CREATE TABLE IF NOT EXISTS outbox (
     key TEXT PRIMARY KEY,
     namespace TEXT NOT NULL,
     version INTEGER NOT NULL,
     value TEXT,
     deleted INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   )`,
  `CREATE INDEX IF NOT EXISTS outbox_by_version ON outbox (version)`,
];

export function ensureSchema(sql: SqlStorage): void {
  for (const statement of STATEMENTS) sql.exec(statement);
  sql.exec(
    `INSERT INTO meta (name, value) VALUES ('schema_version', ?)
     ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
    SHARD_SCHEMA_VERSION,
  );
}
