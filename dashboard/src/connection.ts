/**
 * The SDK's connection status as a polite live region (role="status"): screen readers hear
 * "offline · 2 queued" when it changes, not on every poll.
 */
import type { CacheClient } from "@cache-sync/client";

export function showConnection(cache: CacheClient, region: HTMLElement): () => void {
  const render = () => {
    const queued = cache.pending === 0 ? "nothing queued" : `${cache.pending} queued`;
    const text = `Connection: ${cache.status} · ${queued}`;
    if (region.textContent !== text) region.textContent = text;
    region.dataset.status = cache.status;
  };
  render();
  return cache.subscribe((event) => {
    if (event.type === "status" || event.type === "pending") render();
  });
}
