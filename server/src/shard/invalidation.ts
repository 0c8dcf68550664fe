/**
 * The shard side of an invalidation job: resolve the selectors against this shard's SQLite tier
 * with its indexes (tags through `entry_tags`, keys by primary key, prefixes as a key range) and
 * purge, or mark stale, every match written at or before the job's acceptance time.
 */
import type { IdempotencyStore } from "./idempotency-store.ts";

/** What the coordinator sends every shard of the namespace. */
export interface ShardInvalidation {
  namespace: string;
  /** The coordinator's job id: a retry of the same job is answered with the first result. */
  jobId: string;
  tags: string[];
  keys: string[];
  prefixes: string[];
  mode: "purge" | "stale";
  /** The coordinator's clock when it accepted the job: entries written later are left alone. */
  acceptedAt: number;
}

export interface ShardInvalidationResult {
  /** Live entries this invalidation removed or marked stale. */
  invalidatedKeys: number;
}

/** Everything above SQLite the invalidation must reach: the memory tier and in-flight loads. */
export interface InvalidationEffects {
  /** The key changed under the memory tier and any load in flight: drop both. */
  forget(key: string): void;
  /** In-flight loads matching `matches` must not store what they fetched. */
  supersedeLoads(matches: (key: string) => boolean): void;
}

/**
 * The largest code point: `p <= key < p + U+10FFFF` is exactly "key starts with p" in SQLite's
 * binary (UTF-8 byte order) collation, except keys continuing with U+10FFFF itself, a
 * noncharacter. A range the primary-key index answers, where LIKE or substr() would scan.
 */
const PREFIX_CEILING = "\u{10FFFF}";

interface Matched extends Record<string, SqlStorageValue> {
  key: string;
  stale_until: number;
}

export interface InvalidationDeps {
  sql: SqlStorage;
  transaction: <T>(work: () => T) => T;
  idempotency: IdempotencyStore;
  effects: InvalidationEffects;
}

/** Applies `request` atomically; idempotent per job id, so the coordinator may retry it safely. */
export function invalidateEntries(deps: InvalidationDeps, request: ShardInvalidation, now: number): ShardInvalidationResult {
  const memo = `invalidate:${request.jobId}`;
  const replay = deps.idempotency.recall<ShardInvalidationResult>(memo, "invalidate", request.namespace, now);
  if (replay) return replay;
  const { result, touched } = deps.transaction(() => {
    const touched = matchAndChange(deps.sql, request, now);
    const result: ShardInvalidationResult = { invalidatedKeys: touched.filter((row) => row.stale_until > now).length };
    deps.idempotency.remember(memo, "invalidate", request.namespace, result, now);
    return { result, touched };
  });
  // Named keys are forgotten even without a row: a load of one may be in flight.
  for (const key of new Set([...request.keys, ...touched.map((row) => row.key)])) deps.effects.forget(key);
  const matcher = loadMatcher(request);
  if (matcher) deps.effects.supersedeLoads(matcher);
  return result;
}

function matchAndChange(sql: SqlStorage, request: ShardInvalidation, now: number): Matched[] {
  const matched = new Map<string, Matched>();
  for (const statement of selectorStatements(request, now)) {
    for (const row of sql.exec<Matched>(statement.sql, ...statement.params)) matched.set(row.key, row);
  }
  if (request.mode === "purge") {
    for (const key of matched.keys()) sql.exec(`DELETE FROM entry_tags WHERE key = ?`, key);
  }
  return [...matched.values()];
}

/**
 * One statement per selector, each answered by an index (the tests check the query plans): a DO
 * query takes at most 100 bound parameters, and a job may carry 100 selectors.
 */
export function selectorStatements(request: ShardInvalidation, now: number): { sql: string; params: SqlStorageValue[] }[] {
  const change = changeClause(request.mode, now);
  const statement = (where: string, ...params: SqlStorageValue[]) => ({
    sql: `${change.sql} WHERE ${where} AND written_at <= ? RETURNING key, stale_until`,
    params: [...change.params, ...params, request.acceptedAt],
  });
  return [
    ...[...new Set(request.tags)].map((tag) => statement(`key IN (SELECT key FROM entry_tags WHERE tag = ?)`, tag)),
    ...[...new Set(request.keys)].map((key) => statement(`key = ?`, key)),
    ...[...new Set(request.prefixes)].map((prefix) => statement(`key >= ? AND key < ?`, prefix, prefix + PREFIX_CEILING)),
  ];
}

/**
 * Purge deletes the row; stale mode ends its freshness now, so the next read is served stale
 * while one refresh runs (a soft purge).
 */
function changeClause(mode: ShardInvalidation["mode"], now: number): { sql: string; params: SqlStorageValue[] } {
  return mode === "purge"
    ? { sql: `DELETE FROM entries`, params: [] }
    : { sql: `UPDATE entries SET fresh_until = MIN(fresh_until, ?)`, params: [now] };
}

/**
 * Which in-flight origin loads the invalidation may match. A load has no row yet, so its tags are
 * unknown: any tag selector supersedes every load (cheap, and the worst case is one extra origin
 * call); keys and prefixes supersede only what they match.
 */
function loadMatcher(request: ShardInvalidation): ((key: string) => boolean) | undefined {
  if (request.tags.length > 0) return () => true;
  const keys = new Set(request.keys);
  const prefixes = request.prefixes;
  if (keys.size === 0 && prefixes.length === 0) return undefined;
  return (key) => keys.has(key) || prefixes.some((prefix) => key.startsWith(prefix));
}
