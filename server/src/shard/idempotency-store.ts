/**
 * Remembers the result of each mutation by its idempotency key for at least 24 h, so a replay
 * (an SDK's offline queue, a client retry) is applied once and answered with the first result.
 */
import { CacheError } from "../errors.ts";

export const IDEMPOTENCY_RETENTION_MS = 25 * 60 * 60 * 1000;

/**
 * Client mutations only. A coordinator job's record lives apart (job-memo-store.ts), in a table no
 * client key can name: a client that knows a job id must not be able to make the job's step fail.
 */
export type MutationKind = "set" | "delete";

export class IdempotencyStore {
  constructor(private readonly sql: SqlStorage) {}

  /** The stored result of an earlier identical mutation, if any. */
  recall<T>(id: string | undefined, operation: MutationKind, key: string, now: number): T | undefined {
    if (id === undefined) return undefined;
    const row = this.sql
      .exec<{ operation: string; key: string; result: string; expires_at: number }>(
        `SELECT operation, key, result, expires_at FROM idempotency WHERE id = ?`,
        id,
      )
      .toArray()[0];
    if (row === undefined || row.expires_at <= now) return undefined;
    if (row.operation !== operation || row.key !== key) {
      throw new CacheError(
        "BAD_REQUEST",
        `idempotencyKey "${id}" was already used for a ${row.operation} of key "${row.key}"; use a new key for a different mutation`,
      );
    }
    return JSON.parse(row.result) as T;
  }

  remember(id: string | undefined, operation: MutationKind, key: string, result: unknown, now: number): void {
    if (id === undefined) return;
    this.sql.exec(
      `INSERT OR REPLACE INTO idempotency (id, operation, key, result, expires_at) VALUES (?, ?, ?, ?, ?)`,
      id,
      operation,
      key,
      JSON.stringify(result),
      now + IDEMPOTENCY_RETENTION_MS,
    );
  }

  sweep(now: number): void {
    this.sql.exec(`DELETE FROM idempotency WHERE expires_at <= ?`, now);
  }

  nextExpiry(): number | null {
    return this.sql.exec<{ at: number | null }>(`SELECT MIN(expires_at) AS at FROM idempotency`).one().at;
  }
}
