/** The Coordinator's SQLite tier: jobs and their targets. Every call is synchronous. */
import type { DueTarget, JobRow, JobSelectors, JobState, NewTarget, TargetRow } from "./job.ts";

export interface NewJob {
  id: string;
  namespace: string;
  idempotencyKey: string | undefined;
  request: string;
  priority: number;
  createdAt: number;
}

export interface JobProgress {
  total: number;
  completed: number;
  failed: number;
  invalidatedKeys: number;
  /** Targets that failed for good, with their last error. */
  failures: Pick<TargetRow, "kind" | "address" | "attempts" | "last_error">[];
}

export class JobStore {
  constructor(private readonly sql: SqlStorage) {}

  /** Stores a job and its targets, due from `firstAttemptAt` (an invalidation is held while its fences are taken). */
  insert(job: NewJob, targets: NewTarget[], firstAttemptAt = job.createdAt): JobRow {
    const row = this.sql
      .exec<JobRow>(
        `INSERT INTO jobs (id, namespace, idempotency_key, request, priority, state, created_at)
         VALUES (?, ?, ?, ?, ?, 'queued', ?) RETURNING *`,
        job.id,
        job.namespace,
        job.idempotencyKey ?? null,
        job.request,
        job.priority,
        job.createdAt,
      )
      .one();
    targets.forEach((target, idx) => {
      this.sql.exec(
        `INSERT INTO targets (job_seq, idx, kind, address, state, next_attempt_at) VALUES (?, ?, ?, ?, 'pending', ?)`,
        row.seq,
        idx,
        target.kind,
        target.address,
        firstAttemptAt,
      );
    });
    return row;
  }

  /** Makes a held job's untried targets due now (its fences are taken: coordinator/fence.ts). */
  release(id: string, now: number): void {
    this.sql.exec(
      `UPDATE targets SET next_attempt_at = ?
       WHERE job_seq = (SELECT seq FROM jobs WHERE id = ?) AND state = 'pending' AND attempts = 0 AND next_attempt_at > ?`,
      now,
      id,
      now,
    );
  }

  byId(id: string): JobRow | undefined {
    return this.sql.exec<JobRow>(`SELECT * FROM jobs WHERE id = ?`, id).toArray()[0];
  }

  byIdempotencyKey(key: string): JobRow | undefined {
    return this.sql.exec<JobRow>(`SELECT * FROM jobs WHERE idempotency_key = ?`, key).toArray()[0];
  }

  /** The `limit` most recently accepted jobs, newest first (`seq` is the arrival order). */
  recent(limit: number): JobRow[] {
    return this.sql.exec<JobRow>(`SELECT * FROM jobs ORDER BY seq DESC LIMIT ?`, limit).toArray();
  }

  unfinishedCount(): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM jobs WHERE finished_at IS NULL`).one().n;
  }

  counts(): Record<JobState, number> {
    const counts: Record<JobState, number> = { queued: 0, processing: 0, completed: 0, failed: 0 };
    for (const row of this.sql.exec<{ state: JobState; n: number }>(`SELECT state, COUNT(*) AS n FROM jobs GROUP BY state`)) {
      counts[row.state] = row.n;
    }
    return counts;
  }

  /** Derived from the target rows, which are written as each target finishes. */
  progress(seq: number): JobProgress {
    const targets = this.sql.exec<TargetRow>(`SELECT * FROM targets WHERE job_seq = ? ORDER BY idx`, seq).toArray();
    return {
      total: targets.length,
      completed: targets.filter((t) => t.state === "done").length,
      failed: targets.filter((t) => t.state === "failed").length,
      invalidatedKeys: targets.reduce((sum, t) => sum + t.invalidated_keys, 0),
      failures: targets.filter((t) => t.state === "failed"),
    };
  }

  /** Pending targets due by `now`, in run order: job priority, job arrival, target index. */
  due(now: number, limit: number): DueTarget[] {
    return this.sql
      .exec<TargetRow & { job_id: string; namespace: string; request: string; created_at: number }>(
        `SELECT t.*, j.id AS job_id, j.namespace, j.request, j.created_at
         FROM jobs j JOIN targets t ON t.job_seq = j.seq
         WHERE j.finished_at IS NULL AND t.state = 'pending' AND t.next_attempt_at <= ?
         ORDER BY j.priority, j.seq, t.idx
         LIMIT ?`,
        now,
        limit,
      )
      .toArray()
      .map((row) => ({
        jobSeq: row.job_seq,
        jobId: row.job_id,
        namespace: row.namespace,
        selectors: JSON.parse(row.request) as JobSelectors,
        createdAt: row.created_at,
        idx: row.idx,
        kind: row.kind,
        address: row.address,
        attempts: row.attempts,
      }));
  }

  /** The selectors of invalidation jobs accepted at or after `time` (warm jobs have none). */
  invalidationsSince(time: number): JobSelectors[] {
    return this.sql
      .exec<{ request: string }>(`SELECT request FROM jobs WHERE created_at >= ?`, time)
      .toArray()
      .map((row) => JSON.parse(row.request) as Partial<JobSelectors> & { warm?: unknown })
      .filter((request) => request.warm === undefined)
      .map((request) => ({
        tags: request.tags ?? [],
        keys: request.keys ?? [],
        prefixes: request.prefixes ?? [],
        mode: request.mode ?? "purge",
      }));
  }

  markStarted(seq: number, now: number): void {
    this.sql.exec(`UPDATE jobs SET state = 'processing', started_at = ? WHERE seq = ? AND started_at IS NULL`, now, seq);
  }

  recordSuccess(seq: number, idx: number, invalidatedKeys: number, now: number): void {
    this.sql.exec(
      `UPDATE targets SET state = 'done', attempts = attempts + 1, last_attempt_at = ?, invalidated_keys = ?, last_error = NULL
       WHERE job_seq = ? AND idx = ? AND state = 'pending'`,
      now,
      invalidatedKeys,
      seq,
      idx,
    );
  }

  /**
   * A call that did part of the target's work (a shard's chunks): the count so far is recorded, the
   * target stays pending and is due again now. Not an attempt: nothing failed, so no backoff.
   */
  recordProgress(seq: number, idx: number, invalidatedKeys: number, now: number): void {
    this.sql.exec(
      `UPDATE targets SET last_attempt_at = ?, next_attempt_at = ?, invalidated_keys = ?, last_error = NULL
       WHERE job_seq = ? AND idx = ? AND state = 'pending'`,
      now,
      now,
      invalidatedKeys,
      seq,
      idx,
    );
  }

  /** A failed attempt: retried at `retryAt`, or failed for good when it is null. */
  recordFailure(seq: number, idx: number, error: string, now: number, retryAt: number | null): void {
    this.sql.exec(
      `UPDATE targets SET state = ?, attempts = attempts + 1, last_attempt_at = ?, next_attempt_at = ?, last_error = ?
       WHERE job_seq = ? AND idx = ? AND state = 'pending'`,
      retryAt === null ? "failed" : "pending",
      now,
      retryAt ?? now,
      error,
      seq,
      idx,
    );
  }

  /** Ends the job once no target is pending: `failed` if any target failed for good. */
  finishIfDone(seq: number, now: number): void {
    const left = this.sql
      .exec<{ pending: number; failed: number }>(
        `SELECT COUNT(*) FILTER (WHERE state = 'pending') AS pending, COUNT(*) FILTER (WHERE state = 'failed') AS failed
         FROM targets WHERE job_seq = ?`,
        seq,
      )
      .one();
    if (left.pending > 0) return;
    this.sql.exec(
      `UPDATE jobs SET state = ?, finished_at = ? WHERE seq = ? AND finished_at IS NULL`,
      left.failed > 0 ? "failed" : "completed",
      now,
      seq,
    );
  }

  /** Forgets jobs that finished at or before `before`, with their targets. */
  sweepFinished(before: number): number {
    const seqs = this.sql
      .exec<{ seq: number }>(`DELETE FROM jobs WHERE finished_at IS NOT NULL AND finished_at <= ? RETURNING seq`, before)
      .toArray();
    for (const { seq } of seqs) this.sql.exec(`DELETE FROM targets WHERE job_seq = ?`, seq);
    return seqs.length;
  }

  /** When the next pending target is due (coordinator clock), or null when none is pending. */
  nextDue(): number | null {
    return this.sql
      .exec<{ at: number | null }>(
        `SELECT MIN(t.next_attempt_at) AS at FROM targets t JOIN jobs j ON j.seq = t.job_seq
         WHERE t.state = 'pending' AND j.finished_at IS NULL`,
      )
      .one().at;
  }

  oldestFinish(): number | null {
    return this.sql.exec<{ at: number | null }>(`SELECT MIN(finished_at) AS at FROM jobs WHERE finished_at IS NOT NULL`).one().at;
  }
}
