/** What `subscribe` listeners hear about. */
import type { DeadLetter, QueuedMutation } from "../storage/queue-storage.ts";

/** `online`: calls get through; `offline`: they do not, mutations queue; `syncing`: replaying the queue. */
export type ConnectionStatus = "online" | "offline" | "syncing";

/**
 * One event of a client: its connection status or pending count changed, a queued mutation was
 * applied or dead-lettered, or the storage adapter failed.
 *
 * @example
 * cache.subscribe((event) => {
 *   if (event.type === "dead-letter") report(event.deadLetter.error);
 * });
 */
export type CacheEvent =
  | { type: "status"; status: ConnectionStatus }
  | { type: "pending"; pending: number }
  /**
   * A queued mutation reached the server; `result` is the procedure's output. The client that
   * replays a shared storage hears of every entry, the other clients of their own.
   */
  | { type: "applied"; mutation: QueuedMutation; result: unknown }
  /** A queued mutation was rejected for good (or `EXPIRED`) and moved to `deadLetters`. */
  | { type: "dead-letter"; deadLetter: DeadLetter }
  /** The storage failed in the background (listing, recording a replay, taking the lock); the queue keeps going and retries. */
  | { type: "storage-error"; error: unknown };

/** A function `subscribe` calls with every event; an exception it throws does not reach the queue. */
export type CacheListener = (event: CacheEvent) => void;
