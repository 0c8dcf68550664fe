/** What `subscribe` listeners hear about. */
import type { DeadLetter, QueuedMutation } from "../storage/queue-storage.ts";

/** `online`: calls get through; `offline`: they do not, mutations queue; `syncing`: replaying the queue. */
export type ConnectionStatus = "online" | "offline" | "syncing";

export type CacheEvent =
  | { type: "status"; status: ConnectionStatus }
  | { type: "pending"; pending: number }
  /** A queued mutation reached the server; `result` is the procedure's output. */
  | { type: "applied"; mutation: QueuedMutation; result: unknown }
  /** A queued mutation was rejected for good and moved to `deadLetters`. */
  | { type: "dead-letter"; deadLetter: DeadLetter }
  /** The storage adapter failed to load or save; the queue keeps working in memory. */
  | { type: "storage-error"; error: unknown };

export type CacheListener = (event: CacheEvent) => void;
