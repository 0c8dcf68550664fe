/**
 * The colo tier's tag → URL index (`coloTier: "cache-api"`), kept by each namespace's coordinator:
 * the Cache API can delete one URL but cannot find URLs by tag, so every answer stored in it is
 * indexed here by its Cache-Tag values and its key, and a purge finds what to delete.
 *
 * Storing and purging run in the same Durable Object, which closes the race a cache in front of
 * a Worker otherwise has: an answer made before an invalidation but stored after it. `store`
 * refuses an answer that an invalidation accepted since its request started matches, and `purge`
 * waits for stores in flight before it looks. Index rows go when their cache entry expires.
 */
import { COLO_CACHE_NAME, storedResponse } from "./cache-api-store.ts";
import { entryTag } from "./cache-tags.ts";
import type { ColoEntry, ColoPurge } from "./colo-tier.ts";

export const COLO_INDEX_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS colo_entries (
     cache_key TEXT PRIMARY KEY,
     key TEXT NOT NULL,
     expires_at INTEGER NOT NULL
   ) WITHOUT ROWID`,
  `CREATE INDEX IF NOT EXISTS colo_entries_expiry ON colo_entries (expires_at)`,
  `CREATE INDEX IF NOT EXISTS colo_entries_key ON colo_entries (key)`,
  `CREATE TABLE IF NOT EXISTS colo_tags (tag TEXT NOT NULL, cache_key TEXT NOT NULL, PRIMARY KEY (tag, cache_key)) WITHOUT ROWID`,
  `CREATE INDEX IF NOT EXISTS colo_tags_by_key ON colo_tags (cache_key)`,
];

export interface ColoIndexDeps {
  sql: SqlStorage;
  /** The selectors of invalidations accepted at or after a time (coordinator clock). */
  invalidationsSince: (time: number) => { tags: string[]; keys: string[]; prefixes: string[] }[];
  /** Converts real time (the Worker's) to the coordinator's clock. */
  offsetMs: () => number;
}

export class ColoIndex {
  private readonly storing = new Set<Promise<unknown>>();

  constructor(private readonly deps: ColoIndexDeps) {}

  /** Stores the answer and indexes it; false when an invalidation since its start matches it (nothing stored). */
  async store(entry: ColoEntry): Promise<boolean> {
    const { sql } = this.deps;
    const now = Date.now();
    if (this.invalidatedSince(entry)) return false;
    sql.exec(`DELETE FROM colo_tags WHERE cache_key IN (SELECT cache_key FROM colo_entries WHERE expires_at <= ?)`, now);
    sql.exec(`DELETE FROM colo_entries WHERE expires_at <= ?`, now);
    sql.exec(
      `INSERT INTO colo_entries (cache_key, key, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (cache_key) DO UPDATE SET key = excluded.key, expires_at = excluded.expires_at`,
      entry.cacheKey,
      entry.key,
      now + entry.ttlSeconds * 1000,
    );
    sql.exec(`DELETE FROM colo_tags WHERE cache_key = ?`, entry.cacheKey);
    for (const tag of entry.tags) sql.exec(`INSERT OR IGNORE INTO colo_tags (tag, cache_key) VALUES (?, ?)`, tag, entry.cacheKey);
    const put = caches.open(COLO_CACHE_NAME).then((cache) => cache.put(entry.cacheKey, storedResponse(entry, now)));
    this.storing.add(put);
    try {
      await put;
    } finally {
      this.storing.delete(put);
    }
    return true;
  }

  /** Deletes every stored answer the purge names; answers how many. (The Cache API cannot mark stale: soft purges delete too.) */
  async purge(purge: ColoPurge): Promise<number> {
    await Promise.allSettled([...this.storing]);
    const { sql } = this.deps;
    const keys = new Set<string>();
    for (const tag of purge.tags) {
      const rows = sql.exec<{ cache_key: string }>(`SELECT cache_key FROM colo_tags WHERE tag = ?`, entryTag(purge.namespace, tag));
      for (const row of rows) keys.add(row.cache_key);
    }
    for (const key of purge.keys) {
      for (const row of sql.exec<{ cache_key: string }>(`SELECT cache_key FROM colo_entries WHERE key = ?`, key)) keys.add(row.cache_key);
    }
    for (const prefix of purge.keyPrefixes) {
      // substr, not LIKE: keys may hold % and _.
      const rows = sql.exec<{ cache_key: string }>(`SELECT cache_key FROM colo_entries WHERE substr(key, 1, ?) = ?`, prefix.length, prefix);
      for (const row of rows) keys.add(row.cache_key);
    }
    const cache = await caches.open(COLO_CACHE_NAME);
    await Promise.all([...keys].map((key) => cache.delete(key)));
    for (const key of keys) {
      sql.exec(`DELETE FROM colo_tags WHERE cache_key = ?`, key);
      sql.exec(`DELETE FROM colo_entries WHERE cache_key = ?`, key);
    }
    return keys.size;
  }

  private invalidatedSince(entry: ColoEntry): boolean {
    const tags = new Set(entry.tags);
    return this.deps
      .invalidationsSince(entry.startedAt + this.deps.offsetMs())
      .some(
        (job) =>
          job.tags.some((tag) => tags.has(entryTag(entry.namespace, tag))) ||
          job.keys.includes(entry.key) ||
          job.prefixes.some((prefix) => entry.key.startsWith(prefix)),
      );
  }
}
