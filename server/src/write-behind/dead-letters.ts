/**
 * Write-behind records the sink refused for good, `deadLetterAfter` times: kept with the last
 * error until an admin replays them (back into the outbox) or drops them. Nothing leaves the
 * outbox any other way than acknowledged by the sink or moved here. Calls are synchronous SQL.
 */
import type { DeadLetter, DeadLetterSelection } from "@cache-sync/contracts";
import type { OutboxRecord } from "./outbox.ts";

interface DeadLetterRow extends Record<string, SqlStorageValue> {
  namespace: string;
  key: string;
  version: number;
  value: string | null;
  deleted: number;
  updated_at: number;
  tags: string;
}

interface ListedRow extends Record<string, SqlStorageValue> {
  key: string;
  version: number;
  deleted: number;
  updated_at: number;
  bytes: number;
  attempts: number;
  error: string;
  dead_at: number;
}

export class DeadLetterStore {
  constructor(private readonly sql: SqlStorage) {}

  add(record: OutboxRecord, detail: { bytes: number; attempts: number; error: string; now: number }): void {
    this.sql.exec(
      `INSERT INTO dead_letters (namespace, key, version, value, deleted, updated_at, tags, bytes, attempts, error, dead_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      record.namespace,
      record.key,
      record.version,
      record.value,
      record.deleted,
      record.updated_at,
      record.tags,
      detail.bytes,
      detail.attempts,
      detail.error,
      detail.now,
    );
  }

  count(namespace?: string): number {
    const where = namespace === undefined ? "" : "WHERE namespace = ?";
    return this.sql
      .exec<{ n: number }>(`SELECT COUNT(*) AS n FROM dead_letters ${where}`, ...(namespace === undefined ? [] : [namespace]))
      .one().n;
  }

  /** The oldest `limit` dead letters of the namespace, without their values (which may be large). */
  list(namespace: string, limit: number): DeadLetter[] {
    return this.sql
      .exec<ListedRow>(
        `SELECT key, version, deleted, updated_at, bytes, attempts, error, dead_at
         FROM dead_letters WHERE namespace = ? ORDER BY id LIMIT ?`,
        namespace,
        limit,
      )
      .toArray()
      .map((row) => ({
        key: row.key,
        version: row.version,
        deleted: row.deleted === 1,
        updatedAt: row.updated_at,
        bytes: row.bytes,
        attempts: row.attempts,
        error: row.error,
        deadAt: row.dead_at,
      }));
  }

  /** Removes the selected dead letters and returns them, oldest version first. */
  take(selection: DeadLetterSelection): OutboxRecord[] {
    const rows: DeadLetterRow[] = [];
    const columns = `namespace, key, version, value, deleted, updated_at, tags`;
    if (selection.keys) {
      // One statement per key: a DO query takes at most 100 bound parameters.
      for (const key of new Set(selection.keys)) {
        rows.push(
          ...this.sql
            .exec<DeadLetterRow>(`DELETE FROM dead_letters WHERE namespace = ? AND key = ? RETURNING ${columns}`, selection.namespace, key)
            .toArray(),
        );
      }
    } else {
      rows.push(
        ...this.sql.exec<DeadLetterRow>(`DELETE FROM dead_letters WHERE namespace = ? RETURNING ${columns}`, selection.namespace).toArray(),
      );
    }
    return rows
      .map(
        (row): OutboxRecord => ({
          namespace: row.namespace,
          key: row.key,
          version: row.version,
          value: row.value,
          deleted: row.deleted === 1 ? 1 : 0,
          updated_at: row.updated_at,
          tags: row.tags,
        }),
      )
      .sort((a, b) => a.version - b.version);
  }
}
