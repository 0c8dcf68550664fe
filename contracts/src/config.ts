/** The `CACHE_CONFIG` and `CACHE_TOKENS` schemas (docs/design.md "Configuration"), with their defaults. */
import { z } from "zod";
import { LIMITS } from "./limits.ts";

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http: or https: URL" });

export const originConfig = z
  .object({
    /** URL template; `{key}` is replaced by the URL-encoded key. */
    url: httpUrl.refine((url) => url.includes("{key}"), { message: "origin.url must contain {key}" }),
    timeoutMs: z.number().int().min(1).max(120_000).default(5_000),
    headers: z.record(z.string(), z.string()).optional(),
    /** How long an origin 404 is remembered as a miss. */
    negativeTtlMs: z.number().int().min(0).default(30_000),
    /**
     * After a failed load, callers get the same error without a new origin call for this long, so an
     * outage is not hammered by every caller (no herd).
     */
    errorBackoffMs: z.number().int().min(0).max(60_000).default(1_000),
    /**
     * Largest origin body read for one key; a bigger one is an origin failure (BAD_GATEWAY) and
     * nothing is cached. Defaults to the namespace's `maxValueBytes`.
     */
    maxBodyBytes: z.number().int().min(1).max(LIMITS.valueMaxBytesCeiling).optional(),
  })
  .strict();

export const writeBehindConfig = z
  .object({
    sink: z.enum(["d1", "http"]).default("d1"),
    url: httpUrl.optional(),
    flushIntervalMs: z.number().int().min(100).default(60_000),
    maxBatch: z.number().int().min(1).max(10_000).default(500),
    /**
     * Most bytes one batch carries (each record's value, key and tags, UTF-8), so a flush never holds
     * more than this of rows in memory; a batch always carries at least one record.
     */
    maxBatchBytes: z
      .number()
      .int()
      .min(1_024)
      .max(64 * 1024 * 1024)
      .default(1024 * 1024),
    /**
     * A record the sink refuses for good (HTTP 4xx but 408/429; a D1 constraint error) is retried
     * alone, once per flush, and moved to the dead letters after this many refusals.
     */
    deadLetterAfter: z.number().int().min(1).max(100).default(5),
  })
  .strict()
  .refine((wb) => wb.sink !== "http" || wb.url !== undefined, {
    message: "writeBehind.url is required when sink is http",
    path: ["url"],
  });

/**
 * How a namespace's coordinator runs invalidation jobs. Every field has a default, so the whole
 * object is optional; tests and operators tune it per namespace.
 */
export const invalidationConfig = z
  .object({
    /** Targets (shards and purge URLs) in flight at once, across the namespace's jobs: the backpressure bound. */
    concurrency: z.number().int().min(1).max(64).default(8),
    /** Attempts per target before it counts as failed; the job then ends `failed` with the error listed. */
    maxAttempts: z.number().int().min(1).max(20).default(5),
    /** Delay before the first retry; it doubles on every further attempt (with ±25 % jitter), up to retryMaxMs. */
    retryBaseMs: z.number().int().min(1).max(3_600_000).default(500),
    retryMaxMs: z.number().int().min(1).max(3_600_000).default(30_000),
    /** How long one call to a target may take before it counts as a failed attempt. */
    targetTimeoutMs: z.number().int().min(1).max(120_000).default(10_000),
    /** Minimum spacing between two calls to the same purge target URL (rate limit). */
    purgeSpacingMs: z.number().int().min(0).max(60_000).default(100),
    /** Jobs queued or running at once; past it `invalidate` answers TOO_MANY_REQUESTS with Retry-After. */
    maxQueuedJobs: z.number().int().min(1).max(100_000).default(1_000),
  })
  .strict();

/** The name of a Worker secret (or var), never its value: a config is not a place for credentials. */
const secretName = z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/, { message: "must be the NAME of a secret (A-Z, 0-9, _), not its value" });

/**
 * Where an invalidation is sent beyond the namespace's shards (and the colo tier, which the
 * coordinator reaches by itself when `coloTier` is on). `{ url }` is the original form: a POST of
 * the job's selectors. `http` adds headers read from a secret (a JSON object of header names and
 * values) for a CDN's or another cache's purge API. `cloudflare-zone` calls a zone's purge-by-tag
 * API (`invalidate_cache` for `mode: "stale"`) with an API token read from a secret.
 */
export const purgeTargetConfig = z.union([
  z.object({ url: httpUrl }).strict(),
  z
    .object({
      kind: z.literal("http"),
      url: httpUrl,
      /** A secret holding a JSON object of headers to send, e.g. `{"Authorization":"Bearer …"}`. */
      headersSecret: secretName.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal("cloudflare-zone"),
      zoneId: z.string().regex(/^[0-9a-f]{32}$/i, { message: "zoneId must be the zone's 32-character hex id" }),
      /** A secret holding an API token with the zone's Cache Purge permission. */
      tokenSecret: secretName,
      /** The host readers reach `/r` on (`cache.example.com`), for purges by key prefix; without it a prefix purges the namespace. */
      host: z
        .string()
        .regex(/^[a-z0-9.-]+(:\d+)?$/i, { message: "host must be a host name such as cache.example.com" })
        .optional(),
      /** The API's base URL; only tests point it elsewhere. */
      apiBase: httpUrl.default("https://api.cloudflare.com/client/v4"),
    })
    .strict(),
]);

export const namespaceConfig = z
  .object({
    shards: z.number().int().min(1).max(1024).default(8),
    /**
     * The shard count before a change of `shards`, while the change settles (README "Changing
     * `shards`"): invalidations reach the shards of both counts, a key that moved is handed over
     * from its previous shard on a miss, and writes keep its versions increasing. Remove it once
     * the entries of the old count have expired (`freshMs + staleMs`) and their outboxes are flushed.
     */
    previousShards: z.number().int().min(1).max(1024).optional(),
    freshMs: z.number().int().min(1).max(LIMITS.maxDurationMs).default(60_000),
    staleMs: z.number().int().min(0).max(LIMITS.maxDurationMs).default(300_000),
    maxValueBytes: z.number().int().min(1).max(LIMITS.valueMaxBytesCeiling).default(LIMITS.valueMaxBytes),
    compressAboveBytes: z
      .number()
      .int()
      .min(0)
      .default(16 * 1024),
    memory: z
      .object({
        maxEntries: z.number().int().min(0).default(10_000),
        maxBytes: z
          .number()
          .int()
          .min(0)
          .default(32 * 1024 * 1024),
      })
      .strict()
      .default({ maxEntries: 10_000, maxBytes: 32 * 1024 * 1024 }),
    origin: originConfig.optional(),
    writeBehind: writeBehindConfig.optional(),
    purgeTargets: z.array(purgeTargetConfig).optional(),
    invalidation: invalidationConfig.prefault({}),
    /**
     * Refresh-ahead (XFetch, Vattani et al., VLDB 2015): a read of a fresh entry refreshes it early
     * with probability rising as expiry nears, scaled by the key's measured load time. 0 turns it off.
     */
    refreshAheadBeta: z.number().min(0).max(10).default(1),
    /**
     * An isolate-level micro-cache in the Worker that serves fresh entries without a Durable Object
     * call for at most `maxAgeMs` — so writes and invalidations from elsewhere show within that bound.
     */
    hotCache: z
      .object({
        maxAgeMs: z.number().int().min(1).max(60_000),
        maxEntries: z.number().int().min(1).max(100_000).default(1_000),
        /** Most bytes the isolate's micro-cache holds (estimated heap size of the values), across namespaces. */
        maxBytes: z
          .number()
          .int()
          .min(0)
          .max(64 * 1024 * 1024)
          .default(8 * 1024 * 1024),
      })
      .strict()
      .optional(),
    /**
     * How reads of an origin namespace are rolled out: `full` (the cache), `shadow` (the origin's
     * answer is returned and compared with the cache's), `canary` (`canaryPercent` of keys, by a
     * stable hash, use the cache; the rest go straight to the origin).
     */
    rollout: z
      .object({
        mode: z.enum(["full", "shadow", "canary"]).default("full"),
        canaryPercent: z.number().min(0).max(100).default(0),
      })
      .strict()
      .prefault({}),
    publicRead: z.boolean().default(false),
    /**
     * How long HTTP caches may keep `/r` answers without asking again (RFC 9111). The answer's own
     * freshness left is the most either may keep; these cap it. `sharedMaxAgeMs` bounds a shared
     * cache (a CDN, the colo tier): fresh for at most that, plus stale-while-revalidate within the
     * same bound. `browserMaxAgeMs` (0: browsers revalidate every time, with the ETag). Only a
     * `publicRead` namespace's answers may be stored by a shared cache; the others are `private`.
     */
    httpCache: z
      .object({
        sharedMaxAgeMs: z.number().int().min(0).max(LIMITS.maxDurationMs).default(60_000),
        browserMaxAgeMs: z.number().int().min(0).max(LIMITS.maxDurationMs).default(0),
      })
      .strict()
      .prefault({}),
    /**
     * How this namespace's **successful cache reads** (`get`, `/r`) are logged. A line per cache hit costs more than the
     * hit (locally ~40 % of throughput; deployed, a billed log event that repeats what Workers
     * observability records per invocation), so by default (`"summary"`) each isolate sums them up
     * — count, statuses, latency histogram per namespace and procedure — in one `"event":"reads"`
     * line per `readSummaryIntervalMs`. `"lines"` logs one line per read, of which `sampleRate`
     * (0.01: ~1 in 100) are kept. Errors (status ≥ 400) and every mutation are always logged one
     * line each, with the request id, whatever this says.
     */
    requestLog: z
      .object({
        successfulReads: z.enum(["summary", "lines"]).default("summary"),
        sampleRate: z.number().min(0).max(1).default(1),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .transform((ns) =>
    // An origin's body bound follows the namespace's value bound unless set on its own.
    ns.origin && ns.origin.maxBodyBytes === undefined ? { ...ns, origin: { ...ns.origin, maxBodyBytes: ns.maxValueBytes } } : ns,
  );

export const cacheConfig = z
  .object({
    namespaces: z
      .record(
        z.string().regex(LIMITS.namespacePattern, { message: `namespace names must match ${LIMITS.namespacePattern}` }),
        namespaceConfig,
      )
      .default({}),
    /** Browser origins allowed to call the service (CORS); none by default. `"*"` allows any. */
    corsOrigins: z
      .array(z.union([z.literal("*"), z.url({ error: "corsOrigins entries must be origins like https://app.example.com" })]))
      .default([]),
    /** Most procedure calls in one tRPC batch request. */
    maxBatchSize: z.number().int().min(1).max(1_000).default(50),
    /** How often each isolate logs its summary of successful reads (`requestLog.successfulReads: "summary"`). */
    readSummaryIntervalMs: z.number().int().min(100).max(300_000).default(10_000),
    /**
     * The cache in front of the Worker, next to the reader. `workers-cache`: Cloudflare's Workers
     * Caching (`"cache": { "enabled": true }` in wrangler config), purged through `ctx.cache`.
     * `cache-api`: the Worker itself keeps `/r` answers in the Workers Cache API, with a tag index
     * in each namespace's coordinator (what `wrangler dev` can run: it has no Workers Caching).
     * `off` (default): none. Either way, invalidations of a namespace whose answers a shared cache
     * may keep reach the tier.
     */
    coloTier: z.enum(["off", "cache-api", "workers-cache"]).default("off"),
  })
  .strict();

export const tokenScope = z.enum(["read", "write", "invalidate", "admin"]);

export const tokenConfig = z
  .object({
    id: z.string().min(1).max(64),
    /** Hex SHA-256 of the bearer token; the token itself is never stored. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/i, { message: "sha256 must be 64 hex characters" }),
    scopes: z.array(tokenScope).min(1),
    namespaces: z.array(z.union([z.literal("*"), z.string().regex(LIMITS.namespacePattern)])).min(1),
  })
  .strict();

export const cacheTokens = z.array(tokenConfig);

export type OriginConfig = z.output<typeof originConfig>;
export type WriteBehindConfig = z.output<typeof writeBehindConfig>;
export type InvalidationConfig = z.output<typeof invalidationConfig>;
export type NamespaceConfig = z.output<typeof namespaceConfig>;
export type PurgeTargetConfig = z.output<typeof purgeTargetConfig>;
export type NamespaceConfigInput = z.input<typeof namespaceConfig>;
export type CacheConfig = z.output<typeof cacheConfig>;
export type CacheConfigInput = z.input<typeof cacheConfig>;
export type TokenScope = z.output<typeof tokenScope>;
export type TokenConfig = z.output<typeof tokenConfig>;
