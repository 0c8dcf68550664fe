/**
 * The shard's write-behind outbox and its flush statistics. Calls are synchronous SQL, so an
 * outbox row is written in the same transaction as the cache entry it mirrors.
 */
import { utf8Bytes } from "@cache-sync/contracts";
export interface OutboxRecord extends Record<string, SqlStorageValue> {
  namespace: string;
  key: string;
  /** JSON text of the value; null for a delete. */
  value: string | null;
  version: number;
  updated_at: number;
  deleted: 0 | 1;
  /** The entry's tags as a JSON array (`[]` for a delete). */
  tags: string;
}

export interface FlushStats {
  flushed: number;
  failedAttempts: number;
  lastFlushAt: number | null;
  /** Failed flushes in a row (the sink down, not refusing a record): the exponent of the retry backoff. */
  consecutiveFailures: number;
}

/** Where a record stands in the outbox: what the sink refusing it needs to find it again. */
export interface RecordId {
  key: string;
  version: number;
}

/** A record's size in a batch: its value, key and tags, UTF-8 (what `maxBatchBytes` bounds). */
export function recordBytes(key: string, value: string | null, tags: string): number {
  return (value === null ? 0 : utf8Bytes(value)) + utf8Bytes(key) + utf8Bytes(tags);
}

const RECORD_COLUMNS = `namespace, key, value, version, updated_at, deleted, tags`;

const STAT_NAMES = ["wb_flushed", "wb_failed_attempts", "wb_last_flush_at", "wb_consecutive_failures"] as const;

export class Outbox {
  constructor(private readonly sql: SqlStorage) {}

  /** Records the latest write of `key`, replacing (coalescing) any earlier one still pending. */
  put(namespace: string, key: string, version: number, value: string | null, now: number, tags: readonly string[] = []): void {
    const tagsJson = JSON.stringify(value === null ? [] : tags);
    // A new write starts clean: an earlier version's refusals are not this one's.
    this.sql.exec(
      `INSERT OR REPLACE INTO outbox (key, namespace, version, value, deleted, updated_at, tags, bytes, refusals, last_error)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, NULL)`,
      key,
      namespace,
      version,
      value,
      value === null ? 1 : 0,
      now,
      tagsJson,
      recordBytes(key, value, tagsJson),
    );
  }

  /** Puts a record back as it was (a replayed dead letter): the sink will get it again, refusals counted afresh. */
  restore(record: OutboxRecord): void {
    this.sql.exec(
      `INSERT OR REPLACE INTO outbox (key, namespace, version, value, deleted, updated_at, tags, bytes, refusals, last_error)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, NULL)`,
      record.key,
      record.namespace,
      record.version,
      record.value,
      record.deleted,
      record.updated_at,
      record.tags,
      recordBytes(record.key, record.value, record.tags),
    );
  }

  /** The pending write of `key`, if any: it is newer than anything in the main database. */
  pendingFor(key: string): { value: string | null; version: number; tags: string } | undefined {
    return this.sql
      .exec<{ value: string | null; version: number; tags: string }>(`SELECT value, version, tags FROM outbox WHERE key = ?`, key)
      .toArray()[0];
  }

  /**
   * The next batch of a namespace, oldest first: records the sink has never refused, written at or
   * before `upToVersion`, at most `limit` of them and at most `maxBytes` in all — but always at
   * least one. The running byte sum is taken over the `bytes` column (an index covers it), so no
   * value is read that is not sent.
   */
  batch(namespace: string, upToVersion: number, limit: number, maxBytes: number): OutboxRecord[] {
    return this.sql
      .exec<OutboxRecord>(
        `SELECT ${RECORD_COLUMNS.split(", ")
          .map((c) => `o.${c}`)
          .join(", ")}
         FROM (
           SELECT key, version,
                  SUM(bytes) OVER (ORDER BY version ROWS UNBOUNDED PRECEDING) AS running,
                  ROW_NUMBER() OVER (ORDER BY version) AS n
           FROM (SELECT key, version, bytes FROM outbox
                 WHERE namespace = ? AND refusals = 0 AND version <= ? ORDER BY version LIMIT ?)
         ) AS chosen JOIN outbox AS o ON o.key = chosen.key
         WHERE chosen.n = 1 OR chosen.running <= ?
         ORDER BY o.version`,
        namespace,
        upToVersion,
        limit,
        maxBytes,
      )
      .toArray();
  }

  /** The newest version pending in the namespace: a flush sends no later write (those wait for the next one). */
  newestVersion(namespace: string): number {
    return this.sql.exec<{ v: number | null }>(`SELECT MAX(version) AS v FROM outbox WHERE namespace = ?`, namespace).one().v ?? 0;
  }

  /** Records the sink refused before, oldest first (only their ids: each is read when its turn comes). */
  refusedIds(namespace: string, upToVersion: number, limit: number): RecordId[] {
    return this.sql
      .exec<{ key: string; version: number }>(
        `SELECT key, version FROM outbox WHERE namespace = ? AND refusals > 0 AND version <= ? ORDER BY version LIMIT ?`,
        namespace,
        upToVersion,
        limit,
      )
      .toArray();
  }

  /** The record, unless it was replaced by a newer write (or acknowledged) meanwhile. */
  record({ key, version }: RecordId): OutboxRecord | undefined {
    return this.sql.exec<OutboxRecord>(`SELECT ${RECORD_COLUMNS} FROM outbox WHERE key = ? AND version = ?`, key, version).toArray()[0];
  }

  /**
   * The sink refused this exact record once more; returns how often in all, with its size (undefined
   * when a newer write replaced it meanwhile: that one starts clean).
   */
  refuse({ key, version }: RecordId, error: string): { refusals: number; bytes: number } | undefined {
    return this.sql
      .exec<{ refusals: number; bytes: number }>(
        `UPDATE outbox SET refusals = refusals + 1, last_error = ? WHERE key = ? AND version = ? RETURNING refusals, bytes`,
        error,
        key,
        version,
      )
      .toArray()[0];
  }

  /** Removes one exact record (moved to the dead letters). */
  remove({ key, version }: RecordId): void {
    this.sql.exec(`DELETE FROM outbox WHERE key = ? AND version = ?`, key, version);
  }

  /** Namespaces with pending writes (a shard serves one, but the alarm learns it from here). */
  namespaces(): string[] {
    return this.sql
      .exec<{ namespace: string }>(`SELECT DISTINCT namespace FROM outbox`)
      .toArray()
      .map((row) => row.namespace);
  }

  /**
   * Removes what the sink acknowledged. By key *and* version: a write that landed while the
   * batch was in flight replaced the row and must still be sent.
   */
  acknowledge(records: OutboxRecord[]): void {
    for (const record of records) {
      this.sql.exec(`DELETE FROM outbox WHERE key = ? AND version = ?`, record.key, record.version);
    }
  }

  /**
   * Pending rows the sink has not refused, counting no further than `limit` (cheap enough for the
   * write path): what makes a batch full. Refused rows wait for the next interval.
   */
  pendingUpTo(limit: number): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM outbox WHERE refusals = 0 LIMIT ?)`, limit).one().n;
  }

  pending(): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM outbox`).one().n;
  }

  stats(): FlushStats {
    const rows = new Map(
      this.sql
        .exec<{ name: string; value: number }>(`SELECT name, value FROM meta WHERE name LIKE 'wb_%'`)
        .toArray()
        .map((row) => [row.name, row.value]),
    );
    return {
      flushed: rows.get("wb_flushed") ?? 0,
      failedAttempts: rows.get("wb_failed_attempts") ?? 0,
      lastFlushAt: rows.get("wb_last_flush_at") ?? null,
      consecutiveFailures: rows.get("wb_consecutive_failures") ?? 0,
    };
  }

  /** The booked flush time (flush-schedule.ts), or null. Kept out of FlushStats: it is not a statistic. */
  flushDueAt(): number | null {
    return this.sql.exec<{ value: number }>(`SELECT value FROM meta WHERE name = 'wb_flush_due_at'`).toArray()[0]?.value ?? null;
  }

  saveFlushDueAt(at: number | null): void {
    if (at === null) this.sql.exec(`DELETE FROM meta WHERE name = 'wb_flush_due_at'`);
    else {
      this.sql.exec(
        `INSERT INTO meta (name, value) VALUES ('wb_flush_due_at', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
        at,
      );
    }
  }

  saveStats(stats: FlushStats): void {
    const values = [stats.flushed, stats.failedAttempts, stats.lastFlushAt ?? 0, stats.consecutiveFailures];
    STAT_NAMES.forEach((name, i) => {
      if (name === "wb_last_flush_at" && stats.lastFlushAt === null) return;
      this.sql.exec(
        `INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
        name,
        values[i]!,
      );
    });
  }
}
