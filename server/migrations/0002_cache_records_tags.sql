-- Tags travel with a write-behind record (a JSON array of strings), so an entry read back from the
-- main database after it left the cache is still found by tag invalidation.
ALTER TABLE cache_records ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
