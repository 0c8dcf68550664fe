// Issue 15, item 3: `npm run dev:dashboard` rebuilds the dashboard on change without restarting
// the runtime. It runs beside `wrangler dev` and serves the page on its own port, proxying the API
// to the Worker. The test edits a source file in a copy and sees the rebuilt page served, while
// the runtime holds still (wrangler reloads it on any write into its assets directory):
// - a value written before the edit is still in the shard's memory tier after it (a reload
//   starts the Durable Object afresh, which then reads it from storage);
// - a read held in flight by the origin across the edit reaches the origin once (wrangler's
//   proxy re-sends a request that a reload cut, so a reload shows as a second arrival);
// - wrangler prints no reload line, and the assets directory it serves is untouched.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchChromium } from "@cache-sync/dev-kit/browser";
import { cacheTokensVar, issueToken } from "@cache-sync/dev-kit/tokens";
import { startDevServer, type DevServer } from "@cache-sync/dev-kit/wrangler-dev";
import { assetsDir } from "../scripts/build.mjs";
import { startDevDashboard, type DevDashboard } from "./support/dev-dashboard.ts";
import { startHeldOrigin, type HeldOrigin } from "./support/held-origin.ts";

const admin = issueToken("dev-dashboard-admin", ["admin"], ["*"]);

let origin: HeldOrigin;
let server: DevServer;
let dev: DevDashboard;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  origin = await startHeldOrigin();
  server = await startDevServer({
    vars: {
      CACHE_CONFIG: {
        namespaces: { default: {}, products: { shards: 1, origin: { url: `${origin.url}/items/{key}`, timeoutMs: 60_000 } } },
      },
      CACHE_TOKENS: cacheTokensVar([admin]),
    },
    logLevel: "log", // wrangler prints its reload line at this level
  });
  dev = await startDevDashboard(server.url);
  browser = await launchChromium();
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await dev?.stop();
  origin?.release();
  await server?.stop();
  await origin?.close();
});

/** Every file under the assets directory with its size and modification time. */
const assetsSnapshot = (dir = assetsDir): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return assetsSnapshot(path);
    const { size, mtimeMs } = statSync(path);
    return [`${path} ${size} ${mtimeMs}`];
  });

it("serves the page on its own port, with the Worker's API behind it and the assets' headers", async () => {
  const response = await page.goto(`${dev.url}/dashboard/`);
  expect(response?.status()).toBe(200);
  expect(response?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  await page.fill('#login input[name="token"]', admin.token);
  await page.click('#login button[type="submit"]');
  // The namespaces come from the Worker (`namespaces` over /trpc, proxied on the page's origin).
  await expect
    .poll(() => page.locator("#namespace-list label").evaluateAll((labels) => labels.map((l) => (l as HTMLElement).dataset.namespace)))
    .toEqual(["default", "products"]);
  expect(await page.locator("#connection").textContent()).toBe("Connection: online · nothing queued");
  for (const path of ["/health", "/schema.json"]) expect((await fetch(`${dev.url}${path}`)).status, path).toBe(200);
});

const call = (method: "GET" | "POST", procedure: string, input: unknown) => {
  const authorization = `Bearer ${admin.token}`;
  const url = `${dev.url}/trpc/${procedure}`;
  if (method === "POST")
    return fetch(url, { method, headers: { authorization, "content-type": "application/json" }, body: JSON.stringify(input) });
  return fetch(`${url}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: { authorization } });
};
const resultOf = async (response: Response) => {
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as { result: { data: any } }).result.data;
};

it("rebuilds on an edit and serves the new page, while wrangler dev holds still", async () => {
  const assetsBefore = assetsSnapshot();
  // In-memory state of the namespace's one shard, and a read it keeps in flight (the origin holds
  // it) through the whole rebuild, which also keeps that Durable Object from being evicted as idle.
  await resultOf(await call("POST", "set", { namespace: "products", key: "before-edit", value: 1 }));
  let settled = false;
  const inFlight = call("GET", "get", { namespace: "products", key: "in-flight" }).finally(() => (settled = true));
  await origin.arrived;

  const source = join(dev.sourceDir, "src", "connection.ts");
  writeFileSync(source, readFileSync(source, "utf8").replace("`Connection: ${", "`Link: ${"));
  await expect.poll(() => fetch(`${dev.url}/dashboard/app.js`).then((r) => r.text()), { timeout: 20_000 }).toContain("Link: ");
  await page.reload();
  await expect.poll(() => page.locator("#connection").textContent()).toBe("Link: online · nothing queued");

  // The shard's memory survived the rebuild.
  expect(await resultOf(await call("GET", "get", { namespace: "products", key: "before-edit" }))).toMatchObject({
    found: true,
    value: 1,
    source: "memory",
  });
  // The read was in flight all along; it completes with the origin's answer, asked for once.
  expect(settled).toBe(false);
  origin.release();
  expect(await resultOf(await inFlight)).toMatchObject({ found: true, value: { key: "in-flight" }, source: "origin" });
  expect(origin.arrivals("in-flight")).toBe(1);
  // Nothing was written where wrangler serves from, and wrangler did not reload.
  expect(assetsSnapshot()).toEqual(assetsBefore);
  expect(server.output()).not.toMatch(/Reloading local server|restarted mid-request/);
  expect(dev.output()).toMatch(/dashboard: built in \d+ ms[\s\S]*dashboard: built in \d+ ms/);
});
