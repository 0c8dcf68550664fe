/**
 * `npm start -w examples/offline-notes`: the notes page on http://127.0.0.1:3001 and its cache: the
 * one CACHE_SYNC_URL + CACHE_SYNC_TOKEN name (deployed, or `npm run dev`) or, when they are unset,
 * a local `wrangler dev` with a fresh token. Ctrl-C stops what it started.
 */
import { cacheService } from "./cache-service.ts";
import { notesCacheConfig, startNotesServer } from "./notes-server.ts";

const page = await startNotesServer(Number(process.env.PORT ?? 3001));
const config = notesCacheConfig(page.url);
const cache = await cacheService({ config, tokens: { notes: { scopes: ["read", "write"], namespaces: ["notes"] } } });
page.configure({ cacheUrl: cache.url, token: cache.tokens.notes, namespace: "notes" });
console.log(
  `offline notes on ${page.url} (cache: ${cache.url}). In devtools → Network, switch to "Offline", edit, and back. Ctrl-C stops.`,
);
if (cache.stateDir === undefined) {
  console.log(`The page calls the cache at ${cache.url} from the browser: its CACHE_CONFIG needs the page's origin in
corsOrigins and a "notes" namespace (the token: scopes read and write on "notes"):
  ${JSON.stringify({ corsOrigins: config.corsOrigins, namespaces: { notes: config.namespaces.notes } })}`);
}

const stop = async () => {
  await Promise.all([cache.stop(), page.close()]);
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
