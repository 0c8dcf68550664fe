// The browser pieces in real Chromium (playwright-core, Debian's /usr/bin/chromium): the queue
// persisted in localStorage and IndexedDB survives a page reload, and the `offline`/`online`
// events drive the status and the replay. The page talks to a stand-in server on its own origin.
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { launchChromium } from "@cache-sync/dev-kit/browser";
import { startFakeCacheServer, type FakeCacheServer } from "../support/fake-cache-server.ts";

let server: FakeCacheServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

declare global {
  interface Window {
    sdk: typeof import("../../src/index.ts");
    cache: import("../../src/index.ts").CacheClient;
    statuses: string[];
  }
}

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL("../../src/index.ts", import.meta.url))],
    bundle: true,
    format: "iife",
    globalName: "sdk",
    platform: "browser",
    write: false,
  });
  server = await startFakeCacheServer({
    "/": { type: "text/html", body: '<!doctype html><script src="/sdk.js"></script>' },
    "/sdk.js": { type: "text/javascript", body: bundle.outputFiles[0]!.text },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

beforeEach(async () => {
  await context?.close();
  context = await browser.newContext();
  page = await context.newPage();
  await page.goto(server.url);
});

/** Creates `window.cache` with the given storage adapter (by name) and records its status changes. */
async function openClient(storage: "web" | "idb"): Promise<void> {
  await page.evaluate(async (storage) => {
    const { createCacheClient, webStorage, indexedDbStorage } = window.sdk;
    window.statuses = [];
    window.cache = createCacheClient({
      url: location.origin,
      storage: storage === "web" ? webStorage({ key: "test-queue" }) : indexedDbStorage({ database: "test-queue" }),
      retry: { initialDelayMs: 10, maxDelayMs: 50 },
    });
    window.cache.subscribe((e) => e.type === "status" && window.statuses.push(e.status));
    await window.cache.ready;
  }, storage);
}

for (const storage of ["web", "idb"] as const) {
  describe(`queue in ${storage === "web" ? "localStorage" : "IndexedDB"}`, () => {
    it("writes made offline survive a reload and are replayed by the new page's client", async () => {
      await openClient(storage);
      await context.setOffline(true);
      await page.waitForFunction(() => window.cache.status === "offline");
      const queued = await page.evaluate(async (storage) => {
        const results = [];
        for (let i = 0; i < 3; i++) results.push((await window.cache.set(`${storage}-reload`, i)).queued);
        await window.cache.close(); // nothing more from this page: the reload's client takes over
        return results;
      }, storage);
      expect(queued).toEqual([true, true, true]);
      await context.setOffline(false);
      await page.reload();
      // The reloaded page's client finds the queue and, being online, starts replaying at once:
      // what matters is that all three writes arrive, once each, in order.
      await openClient(storage);
      await page.evaluate(() => window.cache.sync({ timeoutMs: 10_000 }));
      expect(await page.evaluate(() => window.cache.pending)).toBe(0);
      const sets = server.received.filter((r) => r.procedure === "set" && r.input.key === `${storage}-reload`);
      expect(sets.map((r) => r.input.value)).toEqual([0, 1, 2]);
      expect(server.values.get(`default:${storage}-reload`)).toEqual({ value: 2, version: 3 });
    });
  });
}

describe("online/offline events", () => {
  it("go offline on the browser's offline event and replay on its online event, without a failed request", async () => {
    await openClient("web");
    const before = server.received.length;
    await context.setOffline(true);
    await page.waitForFunction(() => window.cache.status === "offline");
    expect(await page.evaluate(async () => (await window.cache.set("events", "while-offline")).queued)).toBe(true);
    await context.setOffline(false);
    await page.waitForFunction(() => window.cache.pending === 0 && window.cache.status === "online");
    expect(await page.evaluate(() => window.statuses)).toEqual(["offline", "syncing", "online"]);
    expect(server.received.slice(before).map((r) => r.input.key)).toEqual(["events"]);
    expect(server.values.get("default:events")?.value).toBe("while-offline");
  });
});
