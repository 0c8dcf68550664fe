/**
 * Where this example's cache is:
 *
 * - `CACHE_SYNC_URL` and `CACHE_SYNC_TOKEN` set: a cache-sync that already runs (deployed, or
 *   `npm run dev`), used as it is; every role of the example uses that one token.
 * - neither set: one started on this machine for the demo (`wrangler dev`, through this
 *   repository's dev-kit). dev-kit is imported only then, so a copy of the example outside the
 *   repository runs with the two variables and without it.
 */
import type { LocalCacheOptions } from "@cache-sync/dev-kit/local-cache";

export interface CacheService<Role extends string> {
  url: string;
  /** Each role's bearer token. */
  tokens: Record<Role, string>;
  /** The state directory of a cache started here; undefined for a running service. */
  stateDir?: string;
  stop(): Promise<void>;
}

export async function cacheService<Role extends string>(local: LocalCacheOptions<Role>, env = process.env): Promise<CacheService<Role>> {
  const url = env.CACHE_SYNC_URL || undefined;
  const token = env.CACHE_SYNC_TOKEN || undefined;
  if (url === undefined && token === undefined) {
    const { startLocalCache } = await import("@cache-sync/dev-kit/local-cache");
    return startLocalCache(local);
  }
  // A start script's mistake: say what is wrong and stop, without a stack trace.
  const refuse = (problem: string): never => {
    console.error(`${problem}: set both CACHE_SYNC_URL and CACHE_SYNC_TOKEN (a running cache-sync), or neither (a local wrangler dev)`);
    process.exit(2);
  };
  if (url === undefined) return refuse("CACHE_SYNC_TOKEN is set but CACHE_SYNC_URL is not");
  if (token === undefined) return refuse("CACHE_SYNC_URL is set but CACHE_SYNC_TOKEN is not");
  if (!/^https?:\/\//.test(url) || !URL.canParse(url)) return refuse(`CACHE_SYNC_URL is not an http(s) URL (${url})`);
  const tokens = Object.fromEntries(Object.keys(local.tokens).map((role) => [role, token])) as Record<Role, string>;
  return { url: url.replace(/\/+$/, ""), tokens, stop: async () => {} };
}
