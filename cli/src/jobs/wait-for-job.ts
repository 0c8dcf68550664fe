/**
 * Follows a job by id to its end (`status --wait`), with the same schedule as the SDK's
 * `InvalidationHandle.done()`: polls every 100 ms at first, 1.5× longer each time up to 2 s, and
 * keeps polling through errors that may pass (network, 429, 5xx).
 */
import { isCacheError, type CacheClient, type InvalidationStatus } from "@cache-sync/client";
import type { ProgressReporter } from "../render/progress.ts";

const FIRST_INTERVAL_MS = 100;
const MAX_INTERVAL_MS = 2_000;

export async function waitForJob(client: CacheClient, first: InvalidationStatus, progress: ProgressReporter): Promise<InvalidationStatus> {
  let status = first;
  let interval = FIRST_INTERVAL_MS;
  try {
    for (;;) {
      progress.update(status);
      if (status.state === "completed" || status.state === "failed") return status;
      await new Promise((resolve) => setTimeout(resolve, interval));
      interval = Math.min(MAX_INTERVAL_MS, Math.round(interval * 1.5));
      try {
        status = await client.jobStatus(status.id, { namespace: status.namespace });
      } catch (error) {
        if (!isCacheError(error) || !error.retryable) throw error;
      }
    }
  } finally {
    progress.finish();
  }
}
