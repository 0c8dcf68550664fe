/**
 * The CacheShard's RPC surface as the Worker sees it. Declared by hand because TypeScript's
 * mapping of RPC stubs over recursive JSON types is "excessively deep"; the class
 * `implements` it, so the two cannot drift apart.
 */
import type {
  DeadLetterSelection,
  DeadLettersRequest,
  DeadLettersResult,
  DeleteRequest,
  DropDeadLettersResult,
  DeleteResult,
  FlushResult,
  GetRequest,
  ReplayDeadLettersResult,
  SetRequest,
  SetResult,
} from "@cache-sync/contracts";
import type { Outcome } from "../errors.ts";
import type { ShardStats } from "../metrics/shard-metrics.ts";
import type { GetAnswer } from "./get-answer.ts";
import type { PeekResult } from "./handoff.ts";
import type { ShardInvalidation, ShardInvalidationResult } from "./invalidation.ts";
import type { ShardTagWarm, ShardTagWarmResult } from "./tag-warm.ts";

/**
 * A read as a shard takes it: the public `GetRequest`, plus what only the cache's own jobs may
 * ask (the public input schema strips any other field, so no caller can send these).
 */
export interface ShardGetRequest extends GetRequest {
  /**
   * false: serve nothing stale, not even an entry that went stale this very millisecond (a
   * stale-mode invalidation sets `freshUntil = now`); a stale entry waits for its coalesced
   * refresh. Warm jobs ask this, so that the keys they touch end up fresh.
   */
  serveStale?: false;
}

export interface ShardRpc {
  /** The value comes back as the JSON text the shard holds (get-answer.ts). */
  get(request: ShardGetRequest): Promise<Outcome<GetAnswer>>;
  set(request: SetRequest): Promise<Outcome<SetResult>>;
  delete(request: DeleteRequest): Promise<Outcome<DeleteResult>>;
  /** What the shard holds for a key, without loading it (resharding handoff: handoff.ts). */
  peek(request: { namespace: string; key: string }): Promise<Outcome<PeekResult>>;
  /** Takes the shard's fence for a job whose invalidate call is in progress (coordinator/fence.ts). */
  fence(request: { jobId: string; namespace: string }): Promise<Outcome<{ fence: number }>>;
  /** Called by the namespace's Coordinator, never by the Worker's front doors. */
  invalidate(request: ShardInvalidation): Promise<Outcome<ShardInvalidationResult>>;
  /** Reloads the keys this shard has seen with the tags; called by the Coordinator for a warm job. */
  warmTags(request: ShardTagWarm): Promise<Outcome<ShardTagWarmResult>>;
  stats(): Promise<ShardStats> | ShardStats;
  /** Flushes the shard's write-behind outbox now. */
  flush(request: { namespace: string }): Promise<Outcome<FlushResult>>;
  /** The write-behind dead letters of this shard (admin procedures). */
  deadLetters(request: DeadLettersRequest): Promise<Outcome<DeadLettersResult>>;
  replayDeadLetters(selection: DeadLetterSelection): Promise<Outcome<ReplayDeadLettersResult>>;
  dropDeadLetters(selection: DeadLetterSelection): Promise<Outcome<DropDeadLettersResult>>;
}
