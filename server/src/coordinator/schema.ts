/**
 * The Coordinator's SQLite schema, in one place and versioned: one row per invalidation job and
 * one per (job, target). `ensureSchema` is idempotent and runs in the constructor.
 */
import { COLO_INDEX_SCHEMA } from "../colo/colo-index.ts";

/** 2: the colo tier's tag index (colo_entries, colo_tags), used when `coloTier` is `cache-api`. */
export const COORDINATOR_SCHEMA_VERSION = 2;

const STATEMENTS = [
  // `seq` gives FIFO order within a priority (createdAt can tie within a millisecond).
  `CREATE TABLE IF NOT EXISTS jobs (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     namespace TEXT NOT NULL,
     idempotency_key TEXT UNIQUE,
     request TEXT NOT NULL,
     priority INTEGER NOT NULL,
     state TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     started_at INTEGER,
     finished_at INTEGER
   )`,
  // The run order of unfinished jobs: priority (0 = high), then arrival.
  `CREATE INDEX IF NOT EXISTS jobs_unfinished ON jobs (priority, seq) WHERE finished_at IS NULL`,
  `CREATE INDEX IF NOT EXISTS jobs_by_finish ON jobs (finished_at) WHERE finished_at IS NOT NULL`,
  // kind: 'shard' (address = DO name "<ns>:<i>"), 'url' (a purge target), 'http' and 'cloudflare-zone'
  // (address = the target's config as JSON: secret names, never values), 'workers-cache' (address =
  // the colo tier's kind), 'warm' (address = JSON list of keys) or 'warm-tags' (address = DO name; the
  // tags are in the job's request). state: pending | done | failed.
  `CREATE TABLE IF NOT EXISTS targets (
     job_seq INTEGER NOT NULL,
     idx INTEGER NOT NULL,
     kind TEXT NOT NULL,
     address TEXT NOT NULL,
     state TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at INTEGER NOT NULL,
     last_attempt_at INTEGER,
     invalidated_keys INTEGER NOT NULL DEFAULT 0,
     last_error TEXT,
     PRIMARY KEY (job_seq, idx)
   ) WITHOUT ROWID`,
  `CREATE INDEX IF NOT EXISTS targets_pending ON targets (next_attempt_at) WHERE state = 'pending'`,
  `CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)`,
  ...COLO_INDEX_SCHEMA,
];

export function ensureSchema(sql: SqlStorage): void {
  for (const statement of STATEMENTS) sql.exec(statement);
  sql.exec(
    `INSERT INTO meta (name, value) VALUES ('schema_version', ?)
     ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
    COORDINATOR_SCHEMA_VERSION,
  );
}
