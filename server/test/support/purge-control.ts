/** Steers the test purge targets (../node/purge-target.ts) from inside workerd tests. */
import { env } from "cloudflare:workers";
import type { PurgeBehaviour, PurgeCall } from "@cache-sync/dev-kit/purge-behaviour";

const base = () => `http://127.0.0.1:${env.ORIGIN_PORT}`;

async function post(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${base()}${path}`, { method: "POST", body: JSON.stringify(body) });
  await response.text();
}

/** `path` is what follows /purge/ in the namespace's purge target URL. */
export function purgeBehave(path: string, behaviour: PurgeBehaviour): Promise<void> {
  return post("/__purge/behave", { path: `/purge/${path}`, ...behaviour });
}

export function purgeRelease(path: string): Promise<void> {
  return post("/__purge/release", { path: `/purge/${path}` });
}

export async function purgeCalls(prefix: string): Promise<PurgeCall[]> {
  const response = await fetch(`${base()}/__purge/calls?prefix=${encodeURIComponent(`/purge/${prefix}`)}`);
  return ((await response.json()) as { calls: PurgeCall[] }).calls;
}

/** Polls until `count` calls under `prefix` have arrived (a held call arrives, then waits). */
export async function waitForPurgeCalls(prefix: string, count: number, timeoutMs = 5_000): Promise<PurgeCall[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const calls = await purgeCalls(prefix);
    if (calls.length >= count) return calls;
    if (Date.now() > deadline) throw new Error(`expected ${count} purge calls under ${prefix}, got ${calls.length}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
