/** Starts the real Worker (`wrangler dev`, via the server's harness) with an admin token configured. */
import { createHash } from "node:crypto";
import { startDevServer, type DevServer } from "@cache-sync/dev-kit/wrangler-dev";

export const ADMIN_TOKEN = "sdk-e2e-admin-token-7f3a";

export function cacheTokens(): unknown {
  return [{ id: "sdk-admin", sha256: createHash("sha256").update(ADMIN_TOKEN).digest("hex"), scopes: ["admin"], namespaces: ["*"] }];
}

export function startCacheServer(cacheConfig: unknown, options: { stateDir?: string; extraConfigs?: string[] } = {}): Promise<DevServer> {
  return startDevServer({ vars: { CACHE_CONFIG: cacheConfig, CACHE_TOKENS: cacheTokens() }, ...options });
}
