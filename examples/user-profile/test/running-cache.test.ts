// The README's "against a running cache-sync" command: with CACHE_SYNC_URL and CACHE_SYNC_TOKEN the
// start script uses that cache (here a `wrangler dev` this test starts, as a deployed service
// would be configured) and starts none of its own.
import { createCacheClient } from "@cache-sync/client";
import { afterAll, expect, it } from "vitest";
import { freePort } from "@cache-sync/dev-kit/free-port";
import { runStartCommand, type RunningCommand } from "@cache-sync/dev-kit/start-command";
import { cacheTokensVar, issueToken } from "@cache-sync/dev-kit/tokens";
import { startDevServer, type DevServer } from "@cache-sync/dev-kit/wrangler-dev";
import { PROFILES_NAMESPACE, profilesNamespaceConfig } from "../src/profiles.ts";

let service: DevServer | undefined;
let running: RunningCommand | undefined;
afterAll(async () => {
  await running?.stop();
  await service?.stop();
});

it("npm start -w examples/user-profile with CACHE_SYNC_URL and CACHE_SYNC_TOKEN writes to that cache", async () => {
  const app = issueToken("profile-app", ["read", "write"], [PROFILES_NAMESPACE]);
  const ours = issueToken("test", ["read"], [PROFILES_NAMESPACE]);
  const namespaces = { [PROFILES_NAMESPACE]: profilesNamespaceConfig() };
  service = await startDevServer({
    vars: { CACHE_CONFIG: { namespaces: { default: {}, ...namespaces } }, CACHE_TOKENS: cacheTokensVar([app, ours]) },
  });

  running = await runStartCommand({
    command: ["npm", "start", "-w", "examples/user-profile"],
    env: { PORT: String(await freePort()), CACHE_SYNC_URL: service.url, CACHE_SYNC_TOKEN: app.token },
    ready: /profile app on (http:\/\/127\.0\.0\.1:\d+) \(cache: ([^;\s]+);/,
  });
  const [, appUrl, cacheUrl] = running.ready;
  expect(cacheUrl).toBe(service.url);
  expect(running.output()).toContain(JSON.stringify(namespaces));
  const put = await fetch(`${appUrl}/profiles/u-ada`, { method: "PUT", body: JSON.stringify({ displayName: "Ada", theme: "dark" }) });
  expect(put.status, await put.text()).toBeLessThan(300);

  // The profile the app wrote is in this test's cache.
  const cache = createCacheClient({ url: service.url, token: ours.token, namespace: PROFILES_NAMESPACE, offlineQueue: false });
  expect(await cache.get("u-ada")).toMatchObject({ found: true, state: "fresh", value: { displayName: "Ada", theme: "dark" } });
  // The script's flush lines come from that cache's `stats` too.
  await expect.poll(() => running!.output(), { timeout: 15_000 }).toContain("write-behind: 1 profile row(s) flushed to D1, 0 pending");
  await running.stop();
  expect((await fetch(`${service.url}/health`)).status).toBe(200); // Ctrl-C stops what the script started, not the cache it was given
}, 120_000);
