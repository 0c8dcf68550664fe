/**
 * The replay window. The server remembers an idempotency key for 25 h; a mutation first sent
 * earlier than that may have been applied already (its answer lost), and replaying it would apply
 * it a second time. Such an entry is not replayed blindly.
 */
import { CacheError } from "../errors/cache-error.ts";
import type { QueuedMutation } from "../storage/queue-storage.ts";

export interface ExpiryOptions {
  replayWindowMs: number;
  expiredPolicy: "dead-letter" | "replay";
}

/** The EXPIRED error a mutation queued too long ago gets, or undefined when it may be replayed. */
export function expiredError(
  mutation: QueuedMutation,
  { replayWindowMs, expiredPolicy }: ExpiryOptions,
  now = Date.now(),
): CacheError | undefined {
  const ageMs = now - mutation.queuedAt;
  if (ageMs <= replayWindowMs || expiredPolicy === "replay") return undefined;
  const hours = Math.round(ageMs / 360_000) / 10;
  return new CacheError({
    code: "EXPIRED",
    message: `queued ${hours} h ago, longer than replayWindowMs (${replayWindowMs} ms): the server may have forgotten its idempotency key, so it was not replayed`,
  });
}
