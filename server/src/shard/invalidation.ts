/**
 * The shard side of an invalidation job: resolve the selectors against this shard's SQLite tier
 * with its indexes (tags through `entry_tags`, keys by primary key, prefixes as a key range) and
 * purge, or mark stale, every match known at or before the job's fence: the shard's own sequence,
 * taken while the invalidate call was in progress (coordinator/fence.ts), so no clock of another machine is
 * compared. A job whose fence could not be taken falls back to "written at or before the job's
 * acceptance time" on the coordinator's clock.
 *
 * The work is bounded: one transaction handles at most CHUNK_ROWS keys, in key order, and one
 * call at most CHUNKS_PER_CALL chunks. Where it got to (the last key done, the count so far) is
 * kept in the job's memo, so the next call — and a retry after a crash — continues there. A tag
 * or a short prefix matching a whole shard is never one giant transaction that the CPU limit
 * rolls back and the retry repeats.
 */
import type { Candidate, EntryStore } from "./entry-store.ts";
import { NEW_JOB, type JobMemo, type JobMemoStore } from "./job-memo-store.ts";

/** Most keys one transaction invalidates. */
export const CHUNK_ROWS = 1_000;
/** Most chunks one call runs before it answers `done: false` and the coordinator calls again. */
export const CHUNKS_PER_CALL = 10;

/** What the coordinator sends every shard of the namespace. */
export interface ShardInvalidation {
  namespace: string;
  /** The coordinator's job id: a retry of the same job continues (or is answered with) the same work. */
  jobId: string;
  tags: string[];
  keys: string[];
  prefixes: string[];
  mode: "purge" | "stale";
  /**
   * The coordinator's clock when it accepted the job: entries written later are left alone — used
   * only when this shard holds no fence for the job (coordinator/fence.ts).
   */
  acceptedAt: number;
}

export interface ShardInvalidationResult {
  /** Live entries this invalidation removed or marked stale so far (all of them once `done`). */
  invalidatedKeys: number;
  /** false: more keys may match; call again with the same job id to continue. */
  done: boolean;
}

/** Everything above SQLite the invalidation must reach: the memory tier and in-flight loads. */
export interface InvalidationEffects {
  /** The key changed under the memory tier and any load in flight: drop both. */
  forget(key: string): void;
  /** In-flight loads matching `matches` must not store what they fetched. */
  supersedeLoads(matches: (key: string) => boolean): void;
}

export interface InvalidationDeps {
  store: EntryStore;
  transaction: <T>(work: () => T) => T;
  memos: JobMemoStore;
  effects: InvalidationEffects;
}

/**
 * Applies up to CHUNKS_PER_CALL chunks of `request`. Synchronous from start to end, so no other
 * call of the shard (a retry of the same job included) runs in between.
 */
export function invalidateEntries(deps: InvalidationDeps, request: ShardInvalidation, now: number): ShardInvalidationResult {
  let memo = deps.memos.read(request.jobId, now) ?? NEW_JOB;
  if (!memo.done) {
    // Named keys are forgotten even without a row: a load of one may be in flight.
    for (const key of new Set(request.keys)) deps.effects.forget(key);
    const matcher = loadMatcher(request);
    if (matcher) deps.effects.supersedeLoads(matcher);
  }
  for (let chunk = 0; !memo.done && chunk < CHUNKS_PER_CALL; chunk++) {
    const before: JobMemo = memo;
    const { next, changed } = deps.transaction(() => {
      const outcome = applyChunk(deps.store, request, before, now);
      deps.memos.save(request.jobId, request.namespace, outcome.next, now);
      return outcome;
    });
    memo = next;
    for (const key of changed) deps.effects.forget(key);
  }
  return { invalidatedKeys: memo.invalidated, done: memo.done };
}

/**
 * One transaction's worth: the next CHUNK_ROWS keys after the cursor that any selector matches,
 * each dealt with once however many selectors match it. Keys known after the fence are passed
 * over (the cursor moves past them), so "known before" holds exactly across chunks: a key
 * rewritten between two chunks is either behind the cursor (done, and not touched again) or ahead
 * of it (and then above the fence).
 */
function applyChunk(store: EntryStore, request: ShardInvalidation, memo: JobMemo, now: number): { next: JobMemo; changed: string[] } {
  const candidates = new Map<string, Candidate>();
  // Keys up to `complete` are all known: a selector that filled its chunk may match more after its last key.
  let complete: string | undefined;
  for (const rows of store.candidates(request, memo.cursor, CHUNK_ROWS)) {
    for (const row of rows) candidates.set(row.key, row);
    const last = rows.at(-1)?.key;
    if (rows.length === CHUNK_ROWS && last !== undefined && (complete === undefined || compareKeys(last, complete) < 0)) complete = last;
  }
  const known = [...candidates.keys()].filter((key) => complete === undefined || compareKeys(key, complete) <= 0).sort(compareKeys);
  const keys = known.slice(0, CHUNK_ROWS);
  const changed: string[] = [];
  let invalidated = memo.invalidated;
  for (const key of keys) {
    const row = candidates.get(key)!;
    if (memo.fence !== undefined ? row.seq > memo.fence : row.written_at > request.acceptedAt) continue;
    // Purge deletes the row (and its tags); stale mode ends its freshness now, so the next read
    // is served stale while one refresh runs (a soft purge).
    if (request.mode === "purge") store.remove(key, now);
    else store.endFreshness(key, now);
    changed.push(key);
    if (row.stale_until > now) invalidated++;
  }
  const done = complete === undefined && keys.length === known.length;
  return { next: { ...memo, cursor: keys.at(-1) ?? memo.cursor, invalidated, done }, changed };
}

/** SQLite's binary collation: UTF-8 byte order, which is code point order (not JS's UTF-16 order). */
export function compareKeys(a: string, b: string): number {
  const x = a[Symbol.iterator]();
  const y = b[Symbol.iterator]();
  for (;;) {
    const p = x.next();
    const q = y.next();
    if (p.done || q.done) return p.done && q.done ? 0 : p.done ? -1 : 1;
    const d = p.value.codePointAt(0)! - q.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
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
