/**
 * The shard's write-behind outbox and its flush statistics. Calls are synchronous SQL, so an
 * outbox row is written in the same transaction as the cache entry it mirrors.
 */
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
  /** Failed flushes in a row: the exponent of the retry backoff. */
  consecutiveFailures: number;
}

const STAT_NAMES = ["wb_flushed", "wb_failed_attempts", "wb_last_flush_at", "wb_consecutive_failures"] as const;

export class Outbox {
  constructor(private readonly sql: SqlStorage) {}

  /** Records the latest write of `key`, replacing (coalescing) any earlier one still pending. */
  put(namespace: string, key: string, version: number, value: string | null, now: number, tags: readonly string[] = []): void {
    this.sql.exec(
      `INSERT OR REPLACE INTO outbox (key, namespace, version, value, deleted, updated_at, tags) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      key,
      namespace,
      version,
      value,
      value === null ? 1 : 0,
      now,
      JSON.stringify(value === null ? [] : tags),
    );
  }

  /** The pending write of `key`, if any: it is newer than anything in the main database. */
  pendingFor(key: string): { value: string | null; version: number; tags: string } | undefined {
    return this.sql
      .exec<{ value: string | null; version: number; tags: string }>(`SELECT value, version, tags FROM outbox WHERE key = ?`, key)
      .toArray()[0];
  }

  /** Up to `limit` pending writes of a namespace, oldest first. */
  batch(namespace: string, limit: number): OutboxRecord[] {
    return this.sql
      .exec<OutboxRecord>(
        `SELECT namespace, key, value, version, updated_at, deleted, tags FROM outbox WHERE namespace = ? ORDER BY version LIMIT ?`,
        namespace,
        limit,
      )
      .toArray();
  }

  /** Namespaces with pending writes (a shard serves one, but the alarm learns it from here). */
  namespaces(): string[] {
    return this.sql.exec<{ namespace: string }>(`SELECT DISTINCT namespace FROM outbox`).toArray().map((row) => row.namespace);
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

  /** Pending rows, counting no further than `limit` (cheap enough for the write path). */
  pendingUpTo(limit: number): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM outbox LIMIT ?)`, limit).one().n;
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
