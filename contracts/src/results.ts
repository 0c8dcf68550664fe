/** Outputs of the procedures; the server validates nothing here, the schemas exist so types are declared once. */
import { z } from "zod";
import { jsonValueSchema } from "./fields.ts";

export const getResult = z.object({
  /** false: not cached and no origin (or the origin said 404). */
  found: z.boolean(),
  value: jsonValueSchema.nullable(),
  state: z.enum(["fresh", "stale", "miss"]),
  source: z.enum(["memory", "storage", "origin"]).nullable(),
  /** Per-key version; increases on every write. */
  version: z.number().int().nullable(),
  ageMs: z.number().nullable(),
  tags: z.array(z.string()),
});

export const setResult = z.object({
  version: z.number().int(),
  freshUntil: z.number(),
  staleUntil: z.number(),
});

export const deleteResult = z.object({ deleted: z.boolean() });

export const invalidationStatus = z.object({
  id: z.string(),
  namespace: z.string(),
  state: z.enum(["queued", "processing", "completed", "failed"]),
  progress: z.number().min(0).max(100),
  totalTargets: z.number().int(),
  completedTargets: z.number().int(),
  failedTargets: z.number().int(),
  invalidatedKeys: z.number().int(),
  errors: z.array(z.string()),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
});

export const namespaceStats = z.object({
  namespace: z.string(),
  shards: z.number().int(),
  entries: z.number().int(),
  bytes: z.number().int(),
  hits: z.number().int(),
  misses: z.number().int(),
  staleServed: z.number().int(),
  /** hits / (hits + misses), 0..1. */
  hitRate: z.number().min(0).max(1),
  originFetches: z.number().int(),
  originErrors: z.number().int(),
  coalesced: z.number().int(),
  evictions: z.number().int(),
  /** Refresh-ahead loads started before an entry went stale (extension). */
  earlyRefreshes: z.number().int(),
  /** Shadow-mode reads, and those where the cache's answer differed from the origin's (extension). */
  shadowReads: z.number().int(),
  shadowMismatches: z.number().int(),
  /** Server-side latency of `get`. */
  latencyMs: z.object({ p50: z.number(), p99: z.number() }),
  writeBehind: z.object({
    pending: z.number().int(),
    flushed: z.number().int(),
    failedAttempts: z.number().int(),
    lastFlushAt: z.number().nullable(),
    /** Records the sink refused for good, held until an admin replays or drops them (extension). */
    deadLetters: z.number().int(),
  }),
  invalidations: z.object({
    queued: z.number().int(),
    processing: z.number().int(),
    completed: z.number().int(),
    failed: z.number().int(),
  }),
});

export const flushResult = z.object({
  flushed: z.number().int(),
  pending: z.number().int(),
  /** Dead letters the namespace holds after the flush (extension). */
  deadLetters: z.number().int(),
});

/** A write-behind record the sink refused `deadLetterAfter` times (its value is left out: it may be large). */
export const deadLetter = z.object({
  key: z.string(),
  version: z.number().int(),
  deleted: z.boolean(),
  updatedAt: z.number(),
  /** The record's size in a batch (value, key and tags, UTF-8). */
  bytes: z.number().int(),
  attempts: z.number().int(),
  /** The sink's last answer. */
  error: z.string(),
  deadAt: z.number(),
});

export const deadLettersResult = z.object({
  /** Every dead letter of the namespace; `deadLetters` lists the oldest `limit` of them. */
  total: z.number().int(),
  deadLetters: z.array(deadLetter),
});

export const replayDeadLettersResult = z.object({
  /** Put back in the outbox, to be flushed again. */
  replayed: z.number().int(),
  /** Not put back: a newer write of the key is pending (or was replayed alongside), and it wins anyway. */
  superseded: z.number().int(),
});

export const dropDeadLettersResult = z.object({ dropped: z.number().int() });

/**
 * A configured namespace as `namespaces` lists it: its name and the settings an operator looks for
 * first. Built from the validated config; origin URLs and headers, sink URLs and tokens are left out.
 */
export const namespaceSummary = z.object({
  name: z.string(),
  shards: z.number().int(),
  freshMs: z.number().int(),
  staleMs: z.number().int(),
  /** Reads that miss load from an origin. */
  origin: z.boolean(),
  /** Writes reach a main database in batches. */
  writeBehind: z.boolean(),
  publicRead: z.boolean(),
});

export const namespacesResult = z.object({
  /** Sorted by name; only those the caller's token may use. */
  namespaces: z.array(namespaceSummary),
});

export const jobsResult = z.object({
  namespace: z.string(),
  /** Newest first; finished jobs stay listed until they expire (24 hours). */
  jobs: z.array(invalidationStatus),
});

export type GetResult = z.infer<typeof getResult>;
export type SetResult = z.infer<typeof setResult>;
export type DeleteResult = z.infer<typeof deleteResult>;
export type InvalidationStatus = z.infer<typeof invalidationStatus>;
export type NamespaceStats = z.infer<typeof namespaceStats>;
export type FlushResult = z.infer<typeof flushResult>;
export type DeadLetter = z.infer<typeof deadLetter>;
export type DeadLettersResult = z.infer<typeof deadLettersResult>;
export type ReplayDeadLettersResult = z.infer<typeof replayDeadLettersResult>;
export type DropDeadLettersResult = z.infer<typeof dropDeadLettersResult>;
export type NamespaceSummary = z.infer<typeof namespaceSummary>;
export type NamespacesResult = z.infer<typeof namespacesResult>;
export type JobsResult = z.infer<typeof jobsResult>;
/** The outcome of an invalidation as a job: its `state`. */
export type InvalidationState = InvalidationStatus["state"];
/** Where a `get` found its value. */
export type GetSource = NonNullable<GetResult["source"]>;
