/**
 * `npm start -w examples/user-profile`: the profile app on :3000 in front of the cache, whose
 * `profiles` namespace writes behind to D1. The cache is the one CACHE_SYNC_URL + CACHE_SYNC_TOKEN
 * name (deployed, or `npm run dev`) or, when they are unset, a local `wrangler dev` (D1 migrated,
 * a fresh token). Each write-behind flush is printed as it happens. Ctrl-C stops what it started.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createCacheClient } from "@cache-sync/client";
import { cacheService } from "./cache-service.ts";
import { d1Command } from "./main-db.ts";
import { PROFILES_NAMESPACE, profileAppHandler, profilesNamespaceConfig } from "./profiles.ts";

const port = Number(process.env.PORT ?? 3000);
const namespaces = { [PROFILES_NAMESPACE]: profilesNamespaceConfig() };
const cache = await cacheService({
  config: { namespaces: { default: {}, ...namespaces } },
  tokens: { app: { scopes: ["read", "write"], namespaces: [PROFILES_NAMESPACE] } },
});
const handle = profileAppHandler({ cache: createCacheClient({ url: cache.url, token: cache.tokens.app, offlineQueue: false }) });
const server = createServer((req, res) => void handle(req, res));
await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

console.log(`profile app on ${appUrl} (cache: ${cache.url}; profiles written behind to D1 every 2 s)

  curl -s -XPUT ${appUrl}/profiles/u-ada -d '{"displayName":"Ada","theme":"dark"}'    # acknowledged by the cache
  curl -s -XPUT ${appUrl}/profiles/u-ada -d '{"displayName":"Ada L.","theme":"light"}'
  curl -si ${appUrl}/profiles/u-ada                                                     # x-cache: fresh
`);
console.log(
  cache.stateDir === undefined
    ? `The cache at ${cache.url} needs this namespace in its CACHE_CONFIG (the token: scopes read and write
on "${PROFILES_NAMESPACE}"):
  ${JSON.stringify(namespaces)}
`
    : `  # after 2 s, what reached D1 (from the repo root):
  ${d1Command(cache.stateDir, "SELECT key, value, version FROM cache_records")}
`,
);

// Show the flushes as they happen (`stats`), so the batching is visible.
const stats = createCacheClient({ url: cache.url, token: cache.tokens.app, namespace: PROFILES_NAMESPACE, offlineQueue: false });
// A running service may have flushed before: count from its first answer. One started here has not.
let flushed: number | undefined = cache.stateDir === undefined ? undefined : 0;
const watcher = setInterval(async () => {
  try {
    const { writeBehind } = await stats.stats();
    if (flushed !== undefined && writeBehind.flushed !== flushed) {
      console.log(`write-behind: ${writeBehind.flushed - flushed} profile row(s) flushed to D1, ${writeBehind.pending} pending`);
    }
    flushed = writeBehind.flushed;
  } catch {
    // the cache is stopping
  }
}, 500);

const stop = async () => {
  clearInterval(watcher);
  server.close();
  await cache.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
