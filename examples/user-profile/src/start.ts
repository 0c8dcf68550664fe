/**
 * `npm start -w examples/user-profile`: the cache (`wrangler dev`, local and offline, D1 migrated,
 * fresh tokens) with a `profiles` namespace that writes behind to D1, and the profile app on :3000.
 * Each write-behind flush is printed as it happens. Ctrl-C stops both.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createCacheClient } from "@cache-sync/client";
import { cacheTokensVar, issueToken } from "@cache-sync/dev-kit/tokens";
import { startDevServer } from "@cache-sync/dev-kit/wrangler-dev";
import { d1Command } from "./main-db.ts";
import { PROFILES_NAMESPACE, profileAppHandler, profilesNamespaceConfig } from "./profiles.ts";

const port = Number(process.env.PORT ?? 3000);
const app = issueToken("profile-app", ["read", "write"], [PROFILES_NAMESPACE]);
const ops = issueToken("ops", ["admin"], [PROFILES_NAMESPACE]);
const cacheServer = await startDevServer({
  vars: {
    CACHE_CONFIG: { namespaces: { default: {}, [PROFILES_NAMESPACE]: profilesNamespaceConfig() } },
    CACHE_TOKENS: cacheTokensVar([app, ops]),
  },
});
const handle = profileAppHandler({ cache: createCacheClient({ url: cacheServer.url, token: app.token, offlineQueue: false }) });
const server = createServer((req, res) => void handle(req, res));
await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

console.log(`profile app on ${appUrl} (cache: ${cacheServer.url}; profiles written behind to D1 every 2 s)

  curl -s -XPUT ${appUrl}/profiles/u-ada -d '{"displayName":"Ada","theme":"dark"}'    # acknowledged by the cache
  curl -s -XPUT ${appUrl}/profiles/u-ada -d '{"displayName":"Ada L.","theme":"light"}'
  curl -si ${appUrl}/profiles/u-ada                                                     # x-cache: fresh

  # after 2 s, what reached D1 (from the repo root):
  ${d1Command(cacheServer.stateDir, "SELECT key, value, version FROM cache_records")}
`);

// Show the flushes as they happen (admin `stats`), so the batching is visible.
const admin = createCacheClient({ url: cacheServer.url, token: ops.token, namespace: PROFILES_NAMESPACE, offlineQueue: false });
let flushed = 0;
const watcher = setInterval(async () => {
  try {
    const { writeBehind } = await admin.stats();
    if (writeBehind.flushed !== flushed) {
      console.log(`write-behind: ${writeBehind.flushed - flushed} profile row(s) flushed to D1, ${writeBehind.pending} pending`);
      flushed = writeBehind.flushed;
    }
  } catch {
    // the cache is stopping
  }
}, 500);

const stop = async () => {
  clearInterval(watcher);
  server.close();
  await cacheServer.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
