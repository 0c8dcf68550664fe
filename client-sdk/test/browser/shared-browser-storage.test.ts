// The browser storages in real Chromium as a shared, per-entry queue: without a storage option a
// page's queue is in IndexedDB; localStorage keeps one item per entry, and two pages on it share
// the queue (one replays, the other's promises settle); queues written by the previous version
// (one document) are carried over. The page talks to a stand-in server on its own origin.
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { launchChromium } from "@cache-sync/dev-kit/browser";
import { startFakeCacheServer, type FakeCacheServer } from "../support/fake-cache-server.ts";

let server: FakeCacheServer;
let browser: Browser;
let context: BrowserContext;

declare global {
  interface Window {
    storageSdk: typeof import("../../src/index.ts");
    client: import("../../src/index.ts").CacheClient;
    applied: Array<Promise<unknown>>;
  }
}

type StorageChoice = { kind: "default" } | { kind: "web"; key: string } | { kind: "idb"; database: string };

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL("../../src/index.ts", import.meta.url))],
    bundle: true,
    format: "iife",
    globalName: "storageSdk",
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
});

async function openPage(storage: StorageChoice, { offline = false } = {}): Promise<Page> {
  const page = await context.newPage();
  await page.goto(server.url);
  if (offline) await context.setOffline(true);
  await page.evaluate(async (storage) => {
    const sdk = window.storageSdk;
    window.applied = [];
    window.client = sdk.createCacheClient({
      url: location.origin,
      retry: { initialDelayMs: 10, maxDelayMs: 50 },
      ...(storage.kind === "web"
        ? { storage: sdk.webStorage({ key: storage.key }) }
        : storage.kind === "idb"
          ? { storage: sdk.indexedDbStorage({ database: storage.database }) }
          : {}),
    });
    await window.client.ready;
  }, storage);
  return page;
}

/** Queues `values` of `key` from the page (it must be offline); the promises stay in `window.applied`. */
const queue = (page: Page, key: string, values: number[]) =>
  page.evaluate(
    async ({ key, values }) => {
      for (const value of values) {
        const outcome = await window.client.set(key, value);
        if (!outcome.queued) throw new Error("expected the write to be queued");
        window.applied.push(outcome.applied);
      }
    },
    { key, values },
  );

const sentValues = (key: string) => server.received.filter((r) => r.input.key === key).map((r) => r.input.value);

describe("browser queue storages", () => {
  it("without a storage option, a page's queue is kept in IndexedDB and survives a reload", async () => {
    const page = await openPage({ kind: "default" });
    await context.setOffline(true);
    await queue(page, "default-idb", [1, 2]);
    await page.evaluate(() => window.client.close());
    await context.setOffline(false);
    await page.reload();
    const reloaded = await openPage({ kind: "default" });
    await reloaded.evaluate(() => window.client.sync({ timeoutMs: 10_000 }));
    expect(sentValues("default-idb")).toEqual([1, 2]);
    expect(await reloaded.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).toContain(`cache-sync ${server.url}`);
  });

  it("localStorage keeps one item per entry; two pages share the queue, one replays it all, and each page's promises settle", async () => {
    const [first, second] = [await openPage({ kind: "web", key: "shared" }), await openPage({ kind: "web", key: "shared" })];
    await context.setOffline(true);
    await Promise.all([queue(first!, "web-first", [0, 1, 2, 3, 4]), queue(second!, "web-second", [0, 1, 2, 3, 4])]);
    // Chromium carries one renderer's localStorage writes to another's asynchronously, so the
    // second page's items reach the first page's view a moment later.
    const storedItems = () => first!.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("shared:")));
    await expect.poll(storedItems, { timeout: 5_000 }).toHaveLength(10);
    const items = await storedItems();
    expect(items.every((k) => /^shared:m-\d{15}-[0-9a-z]+-\d{10}$/.test(k))).toBe(true);
    // Each page hears of the other's entries (BroadcastChannel), so both count the whole queue.
    for (const page of [first!, second!]) await expect.poll(() => page.evaluate(() => window.client.pending)).toBe(10);
    await context.setOffline(false);
    for (const page of [first!, second!]) {
      const results = await page.evaluate(() => Promise.all(window.applied));
      expect(results.map((r) => (r as { version: number }).version)).toEqual([1, 2, 3, 4, 5]);
      await page.waitForFunction(() => window.client.pending === 0 && window.client.status === "online");
    }
    expect(sentValues("web-first")).toEqual([0, 1, 2, 3, 4]);
    expect(sentValues("web-second")).toEqual([0, 1, 2, 3, 4]);
    await expect.poll(storedItems).toEqual([]);
  });

  it("carries over a queue the previous version kept as one document, in IndexedDB and in localStorage", async () => {
    const page = await context.newPage();
    await page.goto(server.url);
    await page.evaluate(async () => {
      const mutation = (key: string, value: number) => ({
        id: `${key}-${value}`,
        procedure: "set",
        input: { key, value, namespace: "default", idempotencyKey: `v1-${key}-${value}` },
        queuedAt: Date.now(),
      });
      const document = (key: string) => ({ version: 1, mutations: [mutation(key, 1), mutation(key, 2)], deadLetters: [] });
      localStorage.setItem("legacy", JSON.stringify(document("legacy-web")));
      await new Promise<void>((resolve, reject) => {
        const request = indexedDB.open("legacy", 1);
        request.onupgradeneeded = () => request.result.createObjectStore("queue").put(document("legacy-idb"), "queue");
        request.onsuccess = () => (request.result.close(), resolve());
        request.onerror = () => reject(request.error);
      });
    });
    for (const storage of [
      { kind: "web", key: "legacy" },
      { kind: "idb", database: "legacy" },
    ] as const) {
      const client = await openPage(storage, { offline: true }); // nothing replays before we count
      expect(await client.evaluate(() => window.client.pending)).toBe(2);
      await context.setOffline(false);
      await client.evaluate(() => window.client.sync({ timeoutMs: 10_000 }));
    }
    expect(sentValues("legacy-web")).toEqual([1, 2]);
    expect(sentValues("legacy-idb")).toEqual([1, 2]);
  });
});
