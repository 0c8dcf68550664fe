// The README's one command serves the notes page wired to a running cache; Ctrl-C stops both.
import { afterAll, expect, it } from "vitest";
import { freePort } from "@cache-sync/dev-kit/free-port";
import { runStartCommand, type RunningCommand } from "@cache-sync/dev-kit/start-command";

let running: RunningCommand | undefined;
afterAll(() => running?.stop());

it("npm start -w examples/offline-notes serves the page and a cache it can reach", async () => {
  running = await runStartCommand({
    command: ["npm", "start", "-w", "examples/offline-notes"],
    env: { PORT: String(await freePort()), CACHE_SYNC_URL: "", CACHE_SYNC_TOKEN: "" }, // the local cache, whatever the shell exports
    ready: /offline notes on (http:\/\/127\.0\.0\.1:\d+) \(cache: (http:\/\/127\.0\.0\.1:\d+)\)/,
  });
  const [, pageUrl, cacheUrl] = running.ready;
  const page = await fetch(`${pageUrl}/`);
  expect(page.status).toBe(200);
  expect(await page.text()).toMatch(/<html/i);
  const config = (await (await fetch(`${pageUrl}/config.json`)).json()) as { cacheUrl: string; namespace: string };
  expect(config).toMatchObject({ cacheUrl, namespace: "notes" });
  expect((await fetch(`${cacheUrl}/health`)).status).toBe(200);

  await running.stop();
  await expect(fetch(`${cacheUrl}/health`)).rejects.toThrow();
}, 120_000);
