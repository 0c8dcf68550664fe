// The README's one command starts the whole example; the curl lines it prints work; Ctrl-C stops it all.
import { afterAll, expect, it } from "vitest";
import { freePort } from "@cache-sync/dev-kit/free-port";
import { runStartCommand, type RunningCommand } from "@cache-sync/dev-kit/start-command";

let running: RunningCommand | undefined;
afterAll(() => running?.stop());

it("npm start -w examples/product-api serves the product API in front of the cache", async () => {
  running = await runStartCommand({
    command: ["npm", "start", "-w", "examples/product-api"],
    env: { PORT: String(await freePort()), CACHE_SYNC_URL: "", CACHE_SYNC_TOKEN: "" }, // the local cache, whatever the shell exports
    ready: /product API on (http:\/\/127\.0\.0\.1:\d+) \(cache: (http:\/\/127\.0\.0\.1:\d+)/,
  });
  const [, apiUrl, cacheUrl] = running.ready;
  const first = await fetch(`${apiUrl}/products?productId=SKU-1&fields=price,name`);
  expect(first.status).toBe(200);
  expect(first.headers.get("x-cache")).toBe("miss");
  expect(await first.json()).toMatchObject({ id: "SKU-1", price: 89.9, name: "Trail shoe" });
  const again = await fetch(`${apiUrl}/products?productId=SKU-1&fields=name,price`);
  expect(again.headers.get("x-cache")).toBe("fresh");
  await again.body?.cancel();

  await running.stop();
  await expect(fetch(`${cacheUrl}/health`)).rejects.toThrow(); // Ctrl-C stopped the cache too
}, 120_000);
