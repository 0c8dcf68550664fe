/**
 * What the offline queue stores and throws besides the mutations it is given: the records a replay
 * leaves behind (another client's result, a dead letter) and the errors of a queue that cannot take
 * a mutation.
 */
import { CacheError } from "../errors/cache-error.ts";
import { recordKey, type DeadLetter, type QueuedMutation, type QueueRecord } from "../storage/queue-storage.ts";
import type { MutationRecord } from "./queue-view.ts";

/** Told to the application (a `storage-error` event) when another client took the writer lock over. */
export const WRITER_LOCK_LOST = "the queue's writer lock was taken over; another client replays now";

/** A mutation as the queue stores it, under its sequence. */
export function mutationRecord(seq: string, clientId: string, mutation: QueuedMutation): MutationRecord {
  return { kind: "mutation", key: recordKey("mutation", seq), seq, clientId, mutation };
}

/** Another client's mutation, replayed here: its result, stored for that client to pick up. */
export function resultRecord(entry: MutationRecord, result: unknown): QueueRecord {
  const { seq, clientId } = entry;
  return { kind: "result", key: recordKey("result", seq), seq, clientId, mutationId: entry.mutation.id, result, appliedAt: Date.now() };
}

/** A mutation the server refused for good, kept with its error until the application clears it. */
export function deadLetterRecord(entry: MutationRecord, deadLetter: DeadLetter): QueueRecord {
  return { kind: "dead-letter", key: recordKey("dead-letter", entry.seq), seq: entry.seq, clientId: entry.clientId, deadLetter };
}

/** The storage refused a write the caller is waiting for: `what` could not be done. */
export function storageFailed(what: string, cause: unknown): CacheError {
  return new CacheError({ code: "QUEUE_STORAGE_FAILED", message: `${what}: ${String(cause)}`, cause });
}

export function queueFull(maxQueued: number): CacheError {
  return new CacheError({
    code: "QUEUE_FULL",
    message: `the offline queue holds ${maxQueued} mutations (maxQueued); this one was not queued`,
  });
}
