/**
 * The SQLite tier of a shard: entries, their tag index and the version counter. All SQL on
 * `entries` and `entry_tags` is here (the tables themselves are in schema.ts). All calls are synchronous.
 */
import { entryColumns, type EncodedValue, type EntryRow } from "./entry-codec.ts";
import type { CacheEntry } from "./entry.ts";

/** What an invalidation needs to know of a candidate row (invalidation.ts). */
export interface Candidate extends Record<string, SqlStorageValue> {
  key: string;
  written_at: number;
  stale_until: number;
  seq: number;
}

/** The selectors of an invalidation (or their subset a query answers). */
export interface Selectors {
  tags: string[];
  keys: string[];
  prefixes: string[];
}

export class EntryStore {
  private lastVersion: number;

  constructor(private readonly sql: SqlStorage) {
    const row = sql.exec<{ value: number }>(`SELECT value FROM meta WHERE name = 'last_version'`).toArray()[0];
    this.lastVersion = row?.value ?? 0;
  }

  /**
   * Versions increase on every write of the shard: max(last + 1, now). Being at least the clock
   * keeps them increasing even when a key moves to another shard after `shards` changes, which
   * the main database relies on ("only a higher version wins"); `floor` is the previous owner's
   * version of the key, which a write during such a move must exceed (handoff.ts).
   */
  nextVersion(now: number, floor = 0): number {
    this.persistVersion(Math.max(this.lastVersion + 1, now, floor + 1));
    return this.lastVersion;
  }

  private persistVersion(version: number): void {
    this.lastVersion = version;
    this.sql.exec(
      `INSERT INTO meta (name, value) VALUES ('last_version', ?)
       ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
      version,
    );
  }

  /**
   * The shard's sequence now: the last version handed out (or fenced). What a load records as its
   * start, so data fetched before an invalidation's fence stays within its reach.
   */
  currentSeq(): number {
    return this.lastVersion;
  }

  /**
   * Takes a fence: the current sequence F, which everything known so far is at or below, and
   * moves the sequence past it, so every write or load from now on is above F.
   */
  fence(): number {
    const fence = this.lastVersion;
    this.persistVersion(fence + 1);
    return fence;
  }

  readRow(key: string): EntryRow | undefined {
    return this.sql.exec<EntryRow>(`SELECT * FROM entries WHERE key = ?`, key).toArray()[0];
  }

  write(key: string, entry: CacheEntry, encoded: EncodedValue): void {
    this.sql.exec(
      `INSERT OR REPLACE INTO entries
         (key, value, encoding, version, tags, written_at, fresh_until, stale_until, size, negative, seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      key,
      ...entryColumns(entry, encoded),
    );
    this.sql.exec(`DELETE FROM entry_tags WHERE key = ?`, key);
    for (const tag of new Set(entry.tags)) {
      this.sql.exec(`INSERT INTO entry_tags (tag, key) VALUES (?, ?)`, tag, key);
    }
  }

  /** Removes a key; true when it existed and had not expired. */
  remove(key: string, now: number): boolean {
    const removed = this.sql.exec<{ stale_until: number }>(`DELETE FROM entries WHERE key = ? RETURNING stale_until`, key).toArray()[0];
    this.sql.exec(`DELETE FROM entry_tags WHERE key = ?`, key);
    return removed !== undefined && removed.stale_until > now;
  }

  /** Deletes up to `limit` expired entries; returns their keys so the memory tier drops them too. */
  sweepExpired(now: number, limit: number): string[] {
    const keys = this.sql
      .exec<{ key: string }>(
        `DELETE FROM entries WHERE key IN (SELECT key FROM entries WHERE stale_until <= ? LIMIT ?) RETURNING key`,
        now,
        limit,
      )
      .toArray()
      .map((row) => row.key);
    for (const key of keys) this.sql.exec(`DELETE FROM entry_tags WHERE key = ?`, key);
    return keys;
  }

  /** Ends a key's freshness now, keeping its value until staleUntil (a soft purge). */
  endFreshness(key: string, now: number): void {
    this.sql.exec(`UPDATE entries SET fresh_until = MIN(fresh_until, ?) WHERE key = ?`, now, key);
  }

  /** Keys tagged with any of `tags`, each once; expired and not-yet-swept entries included. */
  taggedKeys(tags: string[]): string[] {
    const keys = new Set<string>();
    // One query per tag, each answered by the `(tag, key)` primary key; a DO query takes at most 100 bound parameters anyway.
    for (const tag of new Set(tags)) {
      for (const row of this.sql.exec<{ key: string }>(`SELECT key FROM entry_tags WHERE tag = ?`, tag)) keys.add(row.key);
    }
    return [...keys];
  }

  /** For each selector, in key order, the next `limit` rows after `cursor` that it matches. */
  candidates(selectors: Selectors, cursor: string, limit: number): Candidate[][] {
    return candidateStatements(selectors, cursor, limit).map(({ sql, params }) => this.sql.exec<Candidate>(sql, ...params).toArray());
  }

  nextExpiry(): number | null {
    return this.sql.exec<{ at: number | null }>(`SELECT MIN(stale_until) AS at FROM entries`).one().at;
  }

  totals(now: number): { entries: number; bytes: number } {
    const row = this.sql
      .exec<{ entries: number; bytes: number | null }>(
        `SELECT COUNT(*) AS entries, SUM(size) AS bytes FROM entries WHERE stale_until > ? AND negative = 0`,
        now,
      )
      .one();
    return { entries: row.entries, bytes: row.bytes ?? 0 };
  }
}

/**
 * The largest code point: `p <= key < p + U+10FFFF` is exactly "key starts with p" in SQLite's
 * binary (UTF-8 byte order) collation, except keys continuing with U+10FFFF itself, a
 * noncharacter. A range the primary-key index answers, where LIKE or substr() would scan.
 */
const PREFIX_CEILING = "\u{10FFFF}";

/**
 * One statement per selector, each answered by an index in key order (the tests check the query
 * plans): the next `limit` candidate keys after `cursor`. A DO query takes at most 100 bound
 * parameters, and a job may carry 100 selectors, so they are not merged into one.
 */
export function candidateStatements(selectors: Selectors, cursor: string, limit: number) {
  const columns = `entries.key AS key, entries.written_at AS written_at, entries.stale_until AS stale_until, entries.seq AS seq`;
  const statement = (sql: string, ...params: SqlStorageValue[]) => ({ sql, params: [...params, limit] });
  return [
    ...[...new Set(selectors.tags)].map((tag) =>
      statement(
        `SELECT ${columns} FROM entry_tags JOIN entries ON entries.key = entry_tags.key
         WHERE entry_tags.tag = ? AND entry_tags.key > ? ORDER BY entry_tags.key LIMIT ?`,
        tag,
        cursor,
      ),
    ),
    ...[...new Set(selectors.keys)].map((key) =>
      statement(`SELECT ${columns} FROM entries WHERE key = ? AND key > ? LIMIT ?`, key, cursor),
    ),
    ...[...new Set(selectors.prefixes)].map((prefix) =>
      statement(
        `SELECT ${columns} FROM entries WHERE key >= ? AND key < ? AND key > ? ORDER BY key LIMIT ?`,
        prefix,
        prefix + PREFIX_CEILING,
        cursor,
      ),
    ),
  ];
}
