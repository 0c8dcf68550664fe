// examples/service-binding's README command, as a user runs it from the repo root after `npm ci`:
// it builds the SDK itself, then runs both Workers in one `wrangler dev`, the catalog Worker
// served, calling the cache through its service binding.
import { afterAll, expect, it } from "vitest";
import { freePort } from "@cache-sync/dev-kit/free-port";
import { runStartCommand, type RunningCommand } from "@cache-sync/dev-kit/start-command";

let running: RunningCommand | undefined;
afterAll(() => running?.stop());

it("npm start -w examples/service-binding builds what it needs and serves the catalog through the binding", async () => {
  const port = await freePort();
  running = await runStartCommand({
    // The README's command, plus a free port and inspector port so it cannot clash with another server.
    command: [
      "npm",
      "start",
      "-w",
      "examples/service-binding",
      "--",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(await freePort()),
    ],
    ready: /Ready on (http:\/\/\S+)/,
  });
  const url = `http://127.0.0.1:${port}`;
  const lamp = { sku: "sku-1", name: "Lamp", price: 30 };
  const put = await fetch(`${url}/products/sku-1`, { method: "PUT", body: JSON.stringify(lamp) });
  expect(put.status, await put.text()).toBeLessThan(300);
  const read = await fetch(`${url}/products/sku-1`);
  expect(read.status).toBe(200);
  expect(JSON.stringify(await read.json())).toContain('"Lamp"');
  const purge = await fetch(`${url}/catalog/purge`, { method: "POST" });
  expect(purge.status, await purge.text()).toBe(200);
}, 120_000);
