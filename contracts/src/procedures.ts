/** Inputs of every tRPC procedure in the wire contract (docs/design.md "Wire contract"). */
import { z } from "zod";
import { LIMITS } from "./limits.ts";
import { durationMsSchema, idempotencyKeySchema, jsonValueSchema, keySchema, optionalNamespace, tagSchema, tagsSchema } from "./fields.ts";

export const getInput = z.object({
  namespace: optionalNamespace,
  key: keySchema,
  /** The caller's bound on staleness: a stale entry older than this past its freshness is not served. */
  maxStaleMs: durationMsSchema.optional(),
});

export const setInput = z.object({
  namespace: optionalNamespace,
  key: keySchema,
  value: jsonValueSchema,
  /** How long the entry is fresh; the namespace's `freshMs` when absent. */
  ttlMs: durationMsSchema.min(1).optional(),
  /** How long after freshness the entry may still be served stale; the namespace's `staleMs` when absent. */
  staleMs: durationMsSchema.optional(),
  tags: tagsSchema.optional(),
  writeBehind: z.boolean().optional(),
  /** Compare-and-set: apply only if the current version is this one (0: only if the key is absent). */
  ifVersion: z.number().int().min(0).optional(),
  idempotencyKey: idempotencyKeySchema.optional(),
});

export const deleteInput = z.object({
  namespace: optionalNamespace,
  key: keySchema,
  idempotencyKey: idempotencyKeySchema.optional(),
});

export const invalidateInput = z
  .object({
    namespace: optionalNamespace,
    tags: z.array(tagSchema).optional(),
    keys: z.array(keySchema).optional(),
    prefixes: z.array(keySchema).optional(),
    mode: z.enum(["purge", "stale"]).default("purge"),
    priority: z.enum(["low", "normal", "high"]).default("normal"),
    idempotencyKey: idempotencyKeySchema.optional(),
  })
  .superRefine((input, ctx) => {
    const count = (input.tags?.length ?? 0) + (input.keys?.length ?? 0) + (input.prefixes?.length ?? 0);
    if (count === 0) {
      ctx.addIssue({ code: "custom", message: "give at least one selector: tags, keys or prefixes" });
    } else if (count > LIMITS.selectorsPerInvalidation) {
      ctx.addIssue({
        code: "custom",
        message: `at most ${LIMITS.selectorsPerInvalidation} selectors per invalidation (got ${count})`,
      });
    }
  });

export const statusInput = z.object({
  namespace: optionalNamespace,
  id: z.string().min(1).max(128),
});

// Every field is optional, so the whole input may be left out (prefault parses `{}` through the schema).
export const statsInput = z.object({ namespace: optionalNamespace }).prefault({});

export const flushInput = z.object({ namespace: optionalNamespace }).prefault({});

/** Lists a namespace's write-behind dead letters (admin), oldest first. */
export const deadLettersInput = z
  .object({
    namespace: optionalNamespace,
    limit: z.number().int().min(1).max(1_000).default(100),
  })
  .prefault({});

/**
 * Which dead letters to replay or drop: `keys` (every dead letter of those keys) or `all: true`.
 * Naming them is required, so that dropping everything is never an accident.
 */
export const deadLetterSelection = z
  .object({
    namespace: optionalNamespace,
    keys: z.array(keySchema).min(1).max(1_000, { message: "at most 1000 keys per call" }).optional(),
    all: z.literal(true).optional(),
  })
  .superRefine((input, ctx) => {
    if ((input.keys === undefined) === (input.all === undefined)) {
      ctx.addIssue({ code: "custom", message: "give either keys or all: true (not both)" });
    }
  });

/**
 * Keys are loaded where they live; tags are resolved by every shard against the keys it has seen
 * with them (stale or not), which are then reloaded. Either list may be empty, not both; both
 * default to empty so the server always sees two lists.
 */
export const warmInput = z
  .object({
    namespace: optionalNamespace,
    keys: z
      .array(keySchema)
      .max(LIMITS.warmKeysPerCall, { message: `at most ${LIMITS.warmKeysPerCall} keys per warm call` })
      .default([]),
    tags: z
      .array(tagSchema)
      .max(LIMITS.warmTagsPerCall, { message: `at most ${LIMITS.warmTagsPerCall} tags per warm call` })
      .default([]),
  })
  .superRefine((input, ctx) => {
    if (input.keys.length + input.tags.length === 0) {
      ctx.addIssue({ code: "custom", message: "give at least one key or tag to warm" });
    }
  });

/** The namespaces configured in CACHE_CONFIG (admin); the input may be left out. */
export const namespacesInput = z.object({}).prefault({});

/** A namespace's most recent jobs (admin), invalidations and warms alike, newest first. */
export const jobsInput = z
  .object({
    namespace: optionalNamespace,
    limit: z
      .number()
      .int()
      .min(1)
      .max(LIMITS.jobsPerList, { message: `at most ${LIMITS.jobsPerList} jobs per call` })
      .default(LIMITS.jobsPerListDefault),
  })
  .prefault({});

/** Inputs as callers may write them (namespace, mode and priority optional). */
export type GetInput = z.input<typeof getInput>;
export type SetInput = z.input<typeof setInput>;
export type DeleteInput = z.input<typeof deleteInput>;
export type InvalidateInput = z.input<typeof invalidateInput>;
export type StatusInput = z.input<typeof statusInput>;
export type StatsInput = z.input<typeof statsInput>;
export type FlushInput = z.input<typeof flushInput>;
export type WarmInput = z.input<typeof warmInput>;
export type DeadLettersInput = z.input<typeof deadLettersInput>;
export type DeadLetterSelectionInput = z.input<typeof deadLetterSelection>;
export type NamespacesInput = z.input<typeof namespacesInput>;
export type JobsInput = z.input<typeof jobsInput>;

/** Inputs after validation, with defaults filled in: what the server works with. */
export type GetRequest = z.output<typeof getInput>;
export type SetRequest = z.output<typeof setInput>;
export type DeleteRequest = z.output<typeof deleteInput>;
export type InvalidateRequest = z.output<typeof invalidateInput>;
export type WarmRequest = z.output<typeof warmInput>;
export type DeadLettersRequest = z.output<typeof deadLettersInput>;
export type DeadLetterSelection = z.output<typeof deadLetterSelection>;
export type JobsRequest = z.output<typeof jobsInput>;
