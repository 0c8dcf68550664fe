-- The main database that write-behind namespaces flush into (DESIGN.md "Configuration").
-- A row is only ever replaced by a higher version; deletes are tombstones (deleted = 1).
CREATE TABLE IF NOT EXISTS cache_records (
  namespace TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT,
  version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (namespace, key)
);
