// The README's one command starts the whole example; its curl lines work; Ctrl-C stops it all.
import { afterAll, expect, it } from "vitest";
import { freePort } from "@cache-sync/dev-kit/free-port";
import { runStartCommand, type RunningCommand } from "@cache-sync/dev-kit/start-command";

let running: RunningCommand | undefined;
afterAll(() => running?.stop());

it("npm start -w examples/user-profile serves profiles cached and written behind to D1", async () => {
  running = await runStartCommand({
    command: ["npm", "start", "-w", "examples/user-profile"],
    env: { PORT: String(await freePort()), CACHE_SYNC_URL: "", CACHE_SYNC_TOKEN: "" }, // the local cache, whatever the shell exports
    ready: /profile app on (http:\/\/127\.0\.0\.1:\d+) \(cache: (http:\/\/127\.0\.0\.1:\d+)/,
  });
  const [, appUrl, cacheUrl] = running.ready;
  const put = await fetch(`${appUrl}/profiles/u-ada`, { method: "PUT", body: JSON.stringify({ displayName: "Ada", theme: "dark" }) });
  expect(put.status).toBeLessThan(300);
  await put.body?.cancel();
  const read = await fetch(`${appUrl}/profiles/u-ada`);
  expect(read.status).toBe(200);
  expect(read.headers.get("x-cache")).toBe("fresh");
  expect(await read.json()).toMatchObject({ displayName: "Ada", theme: "dark" });

  await running.stop();
  await expect(fetch(`${cacheUrl}/health`)).rejects.toThrow(); // Ctrl-C stopped the cache too
}, 120_000);
