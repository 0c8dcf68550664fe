/** `npm start -w examples/offline-notes`: the cache (`wrangler dev`) and the notes page, on http://127.0.0.1:3001. */
import { cacheTokensVar, issueToken } from "@cache-sync/dev-kit/tokens";
import { startDevServer } from "@cache-sync/dev-kit/wrangler-dev";
import { notesCacheConfig, startNotesServer } from "./notes-server.ts";

const page = await startNotesServer(Number(process.env.PORT ?? 3001));
const token = issueToken("notes", ["read", "write"], ["notes"]);
const cache = await startDevServer({ vars: { CACHE_CONFIG: notesCacheConfig(page.url), CACHE_TOKENS: cacheTokensVar([token]) } });
page.configure({ cacheUrl: cache.url, token: token.token, namespace: "notes" });
console.log(`offline notes on ${page.url} (cache: ${cache.url}). In devtools → Network, switch to "Offline", edit, and back. Ctrl-C stops.`);

const stop = async () => {
  await Promise.all([cache.stop(), page.close()]);
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
