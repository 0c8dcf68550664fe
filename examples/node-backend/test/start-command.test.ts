// The README's one command runs the whole story and ends by itself, with the new price cached.
import { afterAll, expect, it } from "vitest";
import { runStartCommand, type RunningCommand } from "@cache-sync/dev-kit/start-command";

let running: RunningCommand | undefined;
afterAll(() => running?.stop());

it("npm start -w examples/node-backend updates a product, invalidates it and shows the new price", async () => {
  running = await runStartCommand({
    command: ["npm", "start", "-w", "examples/node-backend"],
    env: { CACHE_SYNC_URL: "", CACHE_SYNC_TOKEN: "" }, // the local cache, whatever the shell exports
    ready: /cached price of SKU-1 now: (\S+)/,
  });
  expect(await running.exited).toBe(0);
  expect(running.output()).toMatch(/cached price of SKU-1: \d/);
  expect(running.ready[1]).toBe("79");
}, 120_000);
