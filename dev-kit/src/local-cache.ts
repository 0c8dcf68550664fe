/**
 * A cache-sync for an example's demo, started on this machine: `wrangler dev` (local, offline)
 * with the example's config and a fresh token per role. Examples import it only when no running
 * cache is named (CACHE_SYNC_URL + CACHE_SYNC_TOKEN), so a copy of one needs none of this repository.
 */
import type { CacheConfigInput, TokenScope } from "@cache-sync/contracts";
import { cacheTokensVar, issueToken } from "./tokens.ts";
import { startDevServer } from "./wrangler-dev.ts";

export interface LocalCacheOptions<Role extends string> {
  /** The server's CACHE_CONFIG. */
  config: CacheConfigInput;
  /** One token per role (e.g. an app's and an operator's), each with its scopes and namespaces. */
  tokens: Record<Role, { scopes: TokenScope[]; namespaces: string[] }>;
}

export interface LocalCache<Role extends string> {
  url: string;
  /** Each role's bearer token. */
  tokens: Record<Role, string>;
  /** The server's state directory (its local D1 lives there). */
  stateDir: string;
  stop(): Promise<void>;
}

export async function startLocalCache<Role extends string>(options: LocalCacheOptions<Role>): Promise<LocalCache<Role>> {
  const roles = Object.keys(options.tokens) as Role[];
  const issued = roles.map((role) => issueToken(role, options.tokens[role].scopes, options.tokens[role].namespaces));
  const server = await startDevServer({ vars: { CACHE_CONFIG: options.config, CACHE_TOKENS: cacheTokensVar(issued) } });
  const tokens = Object.fromEntries(issued.map((token) => [token.id, token.token])) as Record<Role, string>;
  return { url: server.url, tokens, stateDir: server.stateDir, stop: server.stop };
}
