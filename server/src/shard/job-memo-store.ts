/**
 * The shard's memory of each coordinator job it worked on, keyed by job id in a table of its own
 * (clients' idempotency keys live elsewhere and can never name one). A chunked invalidation
 * keeps its place here between chunks and calls; a retry of a finished job gets its first answer.
 */
import { IDEMPOTENCY_RETENTION_MS } from "./idempotency-store.ts";

export interface JobMemo {
  /** The last key the job has dealt with ('' before the first chunk): keys after it are still to do. */
  cursor: string;
  /** Live entries invalidated so far, across every chunk and call. */
  invalidated: number;
  done: boolean;
  /**
   * The shard's sequence when the job's invalidate call was in progress (coordinator/fence.ts): the job reaches
   * entries at or below it. Absent when the coordinator could not take it in time.
   */
  fence?: number;
}

export const NEW_JOB: JobMemo = { cursor: "", invalidated: 0, done: false };

export class JobMemoStore {
  constructor(private readonly sql: SqlStorage) {}

  read(jobId: string, now: number): JobMemo | undefined {
    const row = this.sql
      .exec<{ cursor: string; invalidated: number; done: number; expires_at: number; fence: number | null }>(
        `SELECT cursor, invalidated, done, expires_at, fence FROM job_memos WHERE job_id = ?`,
        jobId,
      )
      .toArray()[0];
    if (row === undefined || row.expires_at <= now) return undefined;
    return { cursor: row.cursor, invalidated: row.invalidated, done: row.done === 1, ...(row.fence !== null && { fence: row.fence }) };
  }

  /** Records a job's fence before its first chunk; a job that has a memo already keeps its own. */
  saveFence(jobId: string, namespace: string, fence: number, now: number): void {
    this.sql.exec(
      `INSERT OR IGNORE INTO job_memos (job_id, namespace, cursor, invalidated, done, expires_at, fence) VALUES (?, ?, '', 0, 0, ?, ?)`,
      jobId,
      namespace,
      now + IDEMPOTENCY_RETENTION_MS,
      fence,
    );
  }

  save(jobId: string, namespace: string, memo: JobMemo, now: number): void {
    this.sql.exec(
      `INSERT OR REPLACE INTO job_memos (job_id, namespace, cursor, invalidated, done, expires_at, fence) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      jobId,
      namespace,
      memo.cursor,
      memo.invalidated,
      memo.done ? 1 : 0,
      now + IDEMPOTENCY_RETENTION_MS,
      memo.fence ?? null,
    );
  }

  sweep(now: number): void {
    this.sql.exec(`DELETE FROM job_memos WHERE expires_at <= ?`, now);
  }

  nextExpiry(): number | null {
    return this.sql.exec<{ at: number | null }>(`SELECT MIN(expires_at) AS at FROM job_memos`).one().at;
  }
}
