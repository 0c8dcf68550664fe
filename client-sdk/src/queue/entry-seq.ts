/** The order of the shared queue: each entry's `seq`, sortable as a string. */
import { randomId } from "../util/ids.ts";

/** A short random id for one client (tab, process): part of every `seq` it hands out. */
export function newClientId(): string {
  return randomId().replace(/-/g, "").slice(0, 16).toLowerCase();
}

/**
 * Hands out `<time, 15 digits>-<clientId>-<counter, 10 digits>`. The time never goes back (a clock
 * set back would otherwise put later entries first) and the counter breaks ties, so one client's
 * entries sort in the order it queued them; entries of different clients interleave by time.
 */
export function sequencer(clientId: string): (queuedAt: number) => string {
  let last = 0;
  let counter = 0;
  return (queuedAt) => {
    last = Math.max(last, Math.floor(queuedAt));
    return `${String(last).padStart(15, "0")}-${clientId}-${String(counter++).padStart(10, "0")}`;
  };
}
