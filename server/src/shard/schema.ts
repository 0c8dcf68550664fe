/**
 * The CacheShard's SQLite schema, in one place and versioned. `ensureSchema` is idempotent and
 * runs in the constructor (sql.exec is synchronous, so no request can run before it finishes).
 */
export const SHARD_SCHEMA_VERSION = 5;

const TABLES = [
  // One row per cached key. `value` holds UTF-8 JSON text, or gzip bytes when encoding = 'gzip'.
  // `negative` rows remember an origin 404 until stale_until. `seq` (v5): the shard's sequence
  // when the data was known (a write's version; a load's start), which invalidation fences compare.
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
     negative INTEGER NOT NULL DEFAULT 0,
     seq INTEGER NOT NULL DEFAULT 0
   )`,
  // Tag index: invalidation by tag finds its keys without scanning entries.
  `CREATE TABLE IF NOT EXISTS entry_tags (
     tag TEXT NOT NULL,
     key TEXT NOT NULL,
     PRIMARY KEY (tag, key)
   ) WITHOUT ROWID`,
  // Results of client mutations by idempotency key, kept at least 24 h so a replay is applied once.
  // Only clients' keys live here: the coordinator's jobs have their own table (job_memos), so no
  // client key can collide with a job's record.
  `CREATE TABLE IF NOT EXISTS idempotency (
     id TEXT PRIMARY KEY,
     operation TEXT NOT NULL,
     key TEXT NOT NULL,
     result TEXT NOT NULL,
     expires_at INTEGER NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)`,
  // The shard's statistics (metrics/counter-store.ts): one row per counter, and `latency_<bucket>`
  // per latency histogram bucket (the counter store used to create it itself; same shape).
  `CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)`,
  // Write-behind outbox (v2): the latest acknowledged write per key not yet in the main database.
  // One row per key coalesces many writes into one; a row is removed only once the sink has
  // acknowledged that exact version. `value` is JSON text, NULL for a delete (tombstone);
  // `tags` (v3) is the entry's tags as a JSON array. v4: `bytes` (UTF-8 length of value, so a
  // batch is bounded by bytes without reading values), `refusals` and `last_error` (how often the
  // sink refused this record for good, and why).
  `CREATE TABLE IF NOT EXISTS outbox (
     key TEXT PRIMARY KEY,
     namespace TEXT NOT NULL,
     version INTEGER NOT NULL,
     value TEXT,
     deleted INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     tags TEXT NOT NULL DEFAULT '[]',
     bytes INTEGER NOT NULL DEFAULT 0,
     refusals INTEGER NOT NULL DEFAULT 0,
     last_error TEXT
   )`,
  // v4: records the sink refused `deadLetterAfter` times, with the last error, until an admin
  // replays or drops them. Several versions of one key may be here.
  `CREATE TABLE IF NOT EXISTS dead_letters (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     namespace TEXT NOT NULL,
     key TEXT NOT NULL,
     version INTEGER NOT NULL,
     value TEXT,
     deleted INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     tags TEXT NOT NULL,
     bytes INTEGER NOT NULL,
     attempts INTEGER NOT NULL,
     error TEXT NOT NULL,
     dead_at INTEGER NOT NULL
   )`,
  // v4: the shard's record of each coordinator job it worked on, by job id: where the chunked
  // invalidation got to (`cursor`: the last key done), how many entries it invalidated so far,
  // and whether it is done. A retry or the next call of the same job continues from here.
  // `fence` (v5): the shard's sequence when the job's invalidate call was in progress (coordinator/fence.ts).
  `CREATE TABLE IF NOT EXISTS job_memos (
     job_id TEXT PRIMARY KEY,
     namespace TEXT NOT NULL,
     cursor TEXT NOT NULL,
     invalidated INTEGER NOT NULL,
     done INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     fence INTEGER
   )`,
];

/** Run after the upgrades: some name columns an older table only has once upgraded. */
const INDEXES = [
  `CREATE INDEX IF NOT EXISTS entries_by_expiry ON entries (stale_until)`,
  `CREATE INDEX IF NOT EXISTS entry_tags_by_key ON entry_tags (key)`,
  `CREATE INDEX IF NOT EXISTS idempotency_by_expiry ON idempotency (expires_at)`,
  `CREATE INDEX IF NOT EXISTS outbox_by_version ON outbox (version)`,
  // Covers a batch's choice (namespace, not refused, oldest first, running byte sum) without reading values.
  `CREATE INDEX IF NOT EXISTS outbox_batches ON outbox (namespace, refusals, version, bytes, key)`,
  `CREATE INDEX IF NOT EXISTS dead_letters_by_namespace ON dead_letters (namespace, id)`,
  `CREATE INDEX IF NOT EXISTS job_memos_by_expiry ON job_memos (expires_at)`,
];

/** Changes to tables an older schema version created; CREATE TABLE IF NOT EXISTS does not alter them. */
const UPGRADES: { from: number; statements: string[] }[] = [
  { from: 2, statements: [`ALTER TABLE outbox ADD COLUMN tags TEXT NOT NULL DEFAULT '[]'`] },
  {
    from: 3,
    statements: [
      `ALTER TABLE outbox ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0`,
      `ALTER TABLE outbox ADD COLUMN refusals INTEGER NOT NULL DEFAULT 0`,
      `ALTER TABLE outbox ADD COLUMN last_error TEXT`,
      `UPDATE outbox SET bytes = length(CAST(value AS BLOB)) WHERE value IS NOT NULL`,
      // Job memos left the clients' table: move them (finished jobs; their answer is kept) ...
      `INSERT OR IGNORE INTO job_memos (job_id, namespace, cursor, invalidated, done, expires_at)
         SELECT substr(id, length('invalidate:') + 1), key, '', coalesce(json_extract(result, '$.invalidatedKeys'), 0), 1, expires_at
         FROM idempotency WHERE operation = 'invalidate' AND id LIKE 'invalidate:%'`,
      // ... and nothing of the coordinator's stays where a client's key could meet it.
      `DELETE FROM idempotency WHERE operation = 'invalidate'`,
    ],
  },
];

/**
 * Columns added after their table's first version, for storage that has the table without them.
 * (A table an upgrade first creates, such as job_memos in v4, already has them.) Rows from before
 * fences have `seq` 0: known before any fence, so every fenced job reaches them.
 */
const ADDED_COLUMNS: { table: string; column: string; definition: string }[] = [
  { table: "entries", column: "seq", definition: "INTEGER NOT NULL DEFAULT 0" },
  { table: "job_memos", column: "fence", definition: "INTEGER" },
];

export function ensureSchema(sql: SqlStorage): void {
  const stored = storedVersion(sql);
  for (const statement of TABLES) sql.exec(statement);
  if (stored !== undefined) {
    for (const upgrade of UPGRADES) if (stored <= upgrade.from) for (const statement of upgrade.statements) sql.exec(statement);
  }
  for (const { table, column, definition } of ADDED_COLUMNS) {
    const present = sql
      .exec<{ name: string }>(`SELECT name FROM pragma_table_info(?)`, table)
      .toArray()
      .some((row) => row.name === column);
    if (!present) sql.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
  }
  for (const statement of INDEXES) sql.exec(statement);
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
