// The README's "against a running cache-sync" command: with CACHE_SYNC_URL and CACHE_SYNC_TOKEN the
// start script hands the page that cache and token (here a `wrangler dev` this test starts, as a
// deployed service would be configured) and starts no cache of its own.
import { afterAll, expect, it } from "vitest";
import { freePort } from "@cache-sync/dev-kit/free-port";
import { runStartCommand, type RunningCommand } from "@cache-sync/dev-kit/start-command";
import { cacheTokensVar, issueToken } from "@cache-sync/dev-kit/tokens";
import { startDevServer, type DevServer } from "@cache-sync/dev-kit/wrangler-dev";
import { notesCacheConfig } from "../src/notes-server.ts";

let service: DevServer | undefined;
let running: RunningCommand | undefined;
afterAll(async () => {
  await running?.stop();
  await service?.stop();
});

it("npm start -w examples/offline-notes with CACHE_SYNC_URL and CACHE_SYNC_TOKEN points the page at that cache", async () => {
  const port = await freePort();
  const pageUrl = `http://127.0.0.1:${port}`;
  const notes = issueToken("notes", ["read", "write"], ["notes"]);
  service = await startDevServer({ vars: { CACHE_CONFIG: notesCacheConfig(pageUrl), CACHE_TOKENS: cacheTokensVar([notes]) } });

  running = await runStartCommand({
    command: ["npm", "start", "-w", "examples/offline-notes"],
    env: { PORT: String(port), CACHE_SYNC_URL: service.url, CACHE_SYNC_TOKEN: notes.token },
    ready: /offline notes on (http:\/\/127\.0\.0\.1:\d+) \(cache: (\S+)\)/,
  });
  expect(running.ready.slice(1)).toEqual([pageUrl, service.url]);
  expect(running.output()).toContain(`"corsOrigins":["${pageUrl}"]`);
  const config = (await (await fetch(`${pageUrl}/config.json`)).json()) as { cacheUrl: string; token: string; namespace: string };
  expect(config).toEqual({ cacheUrl: service.url, token: notes.token, namespace: "notes" });

  // What the page does with it, from the page's origin: the cache allows it and accepts the token.
  const set = await fetch(`${config.cacheUrl}/trpc/set`, {
    method: "POST",
    headers: { origin: pageUrl, "content-type": "application/json", authorization: `Bearer ${config.token}` },
    body: JSON.stringify({ namespace: config.namespace, key: "note-1", value: { text: "hello" } }),
  });
  expect(set.status, await set.text()).toBe(200);
  expect(set.headers.get("access-control-allow-origin")).toBe(pageUrl);
  await running.stop();
  expect((await fetch(`${service.url}/health`)).status).toBe(200); // Ctrl-C stops what the script started, not the cache it was given
}, 120_000);
