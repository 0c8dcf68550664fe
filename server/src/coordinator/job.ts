/** An invalidation job and its targets as the Coordinator stores them (see schema.ts). */
import type { InvalidateRequest } from "@cache-sync/contracts";

export type Priority = InvalidateRequest["priority"];
export type InvalidationMode = InvalidateRequest["mode"];

/** Lower runs first. */
export const PRIORITY_RANK: Record<Priority, number> = { high: 0, normal: 1, low: 2 };

/**
 * What a job asks every target to invalidate (the `request` column, JSON). A warm job stores
 * `{ warm: keys, tags? }` there instead: its tags sit where an invalidation's do, so a `warm-tags`
 * target reads them as `selectors.tags` (the other fields are absent).
 */
export interface JobSelectors {
  tags: string[];
  keys: string[];
  prefixes: string[];
  mode: InvalidationMode;
}

export type JobState = "queued" | "processing" | "completed" | "failed";
/**
 * `warm`: a chunk of keys to load through their shards (address = JSON list of the keys).
 * `warm-tags`: one shard (address = its name) reloading the keys it has seen with the job's tags.
 * `url`, `http`, `cloudflare-zone`: external purge targets (external-targets.ts); `workers-cache`: the colo tier.
 */
export type TargetKind = "shard" | "url" | "http" | "cloudflare-zone" | "workers-cache" | "warm" | "warm-tags";
export type TargetState = "pending" | "done" | "failed";

export interface JobRow extends Record<string, SqlStorageValue> {
  seq: number;
  id: string;
  namespace: string;
  idempotency_key: string | null;
  request: string;
  priority: number;
  state: JobState;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

export interface TargetRow extends Record<string, SqlStorageValue> {
  job_seq: number;
  idx: number;
  kind: TargetKind;
  address: string;
  state: TargetState;
  attempts: number;
  next_attempt_at: number;
  last_attempt_at: number | null;
  invalidated_keys: number;
  last_error: string | null;
}

/** A target due for an attempt, with what the attempt needs from its job. */
export interface DueTarget {
  jobSeq: number;
  jobId: string;
  namespace: string;
  selectors: JobSelectors;
  createdAt: number;
  idx: number;
  kind: TargetKind;
  address: string;
  attempts: number;
}

export interface NewTarget {
  kind: TargetKind;
  address: string;
}

export function selectorsOf(request: InvalidateRequest): JobSelectors {
  return { tags: request.tags ?? [], keys: request.keys ?? [], prefixes: request.prefixes ?? [], mode: request.mode };
}
