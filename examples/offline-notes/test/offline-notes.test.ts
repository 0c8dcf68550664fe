// The offline notes page in Chromium against the real cache (`wrangler dev`): an edit made
// offline (context.setOffline) is queued and the live region says so; back online it syncs and
// nothing is lost, also across a reload. Screenshots: examples/offline-notes/test-artifacts/.
import { fileURLToPath } from "node:url";
import { createCacheClient } from "@cache-sync/client";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, screenshotPath } from "@cache-sync/dev-kit/browser";
import { findSecrets, saveLog } from "@cache-sync/dev-kit/secret-scan";
import { cacheTokensVar, issueToken } from "@cache-sync/dev-kit/tokens";
import { startDevServer, type DevServer } from "@cache-sync/dev-kit/wrangler-dev";
import { notesCacheConfig, startNotesServer, type NotesServer } from "../src/notes-server.ts";

const shots = fileURLToPath(new URL("../test-artifacts/", import.meta.url));
const token = issueToken("notes", ["read", "write"], ["notes"]);
const texts = ["milk and bread, online", "milk, bread, eggs — written offline", "and a second offline edit: coffee"];
let page: Page;
let context: BrowserContext;
let browser: Browser;
let notesServer: NotesServer;
let cache: DevServer;

beforeAll(async () => {
  notesServer = await startNotesServer();
  cache = await startDevServer({
    vars: { CACHE_CONFIG: notesCacheConfig(notesServer.url), CACHE_TOKENS: cacheTokensVar([token]) },
    logLevel: "log",
  });
  notesServer.configure({ cacheUrl: cache.url, token: token.token, namespace: "notes" });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 800, height: 600 } });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await cache?.stop();
  await notesServer?.close();
});

const statusText = () => page.locator("#sync-status").textContent();
const note = () => page.locator("form.note").first();

async function serverNote(): Promise<unknown> {
  const reader = createCacheClient({ url: cache.url, token: token.token, namespace: "notes", offlineQueue: false });
  const index = await reader.get<string[]>("index");
  return (await reader.get(`note:${index.value![0]}`)).value;
}

/** How many notes the server's index lists (0 before the first one reached it). */
async function serverIndexLength(): Promise<number> {
  const reader = createCacheClient({ url: cache.url, token: token.token, namespace: "notes", offlineQueue: false });
  try {
    return (await reader.get<string[]>("index")).value?.length ?? 0;
  } finally {
    await reader.close();
  }
}

async function edit(text: string): Promise<void> {
  await note().locator("textarea").fill(text);
  await note().locator("button").click();
}

describe("offline notes", () => {
  it("saves a note online", async () => {
    await page.goto(notesServer.url);
    await page.waitForSelector("body[data-ready]");
    expect(await statusText()).toBe("Online · all changes saved");
    await page.fill('#new-note input[name="title"]', "Shopping");
    await page.click("#new-note button");
    await expect.poll(() => note().count()).toBe(1);
    // The page writes the new note, then the index; wait for both before editing, so that on a slow
    // machine the edit is not sent alongside the note's first write (which could then land last)
    // and the index is there when serverNote() reads it.
    await expect.poll(serverIndexLength).toBe(1);
    await edit(texts[0]!);
    await expect.poll(() => note().locator(".state").textContent()).toBe("saved");
    expect(await serverNote()).toMatchObject({ title: "Shopping", text: texts[0] });
  });

  it("queues edits made offline and says so in the live region", async () => {
    await context.setOffline(true);
    await expect.poll(statusText).toBe("Offline · nothing to sync");
    await edit(texts[1]!);
    await expect.poll(statusText).toBe("Offline · 1 edit queued, will sync when back online");
    await edit(texts[2]!);
    await expect.poll(statusText).toBe("Offline · 2 edits queued, will sync when back online");
    await expect.poll(() => note().locator(".state").textContent()).toBe("queued");
    expect(await page.locator("#sync-status").getAttribute("aria-live")).toBe("polite");
    await page.screenshot({ path: screenshotPath(shots, "1-offline-queued") });
    expect(await serverNote()).toMatchObject({ text: texts[0] }); // nothing reached the server
  });

  it("syncs when back online, in order, with nothing lost", async () => {
    await context.setOffline(false);
    await expect.poll(statusText, { timeout: 20_000 }).toBe("Online · all changes saved");
    expect(await serverNote()).toMatchObject({ title: "Shopping", text: texts[2] });
    await expect.poll(() => note().locator("textarea").inputValue()).toBe(texts[2]);
    await page.screenshot({ path: screenshotPath(shots, "2-back-online-synced") });
  });

  it("keeps an offline edit across a reload and syncs it afterwards", async () => {
    await context.setOffline(true);
    await expect.poll(statusText).toBe("Offline · nothing to sync");
    await edit("edited offline, then the tab reloaded");
    await expect.poll(statusText).toBe("Offline · 1 edit queued, will sync when back online");
    await context.setOffline(false);
    await page.reload(); // may catch the replay mid-way; the queue in IndexedDB carries it over
    await page.waitForSelector("body[data-ready]");
    await expect.poll(statusText, { timeout: 20_000 }).toBe("Online · all changes saved");
    expect(await serverNote()).toMatchObject({ text: "edited offline, then the tab reloaded" });
    await expect.poll(() => note().locator("textarea").inputValue()).toBe("edited offline, then the tab reloaded");
    await page.screenshot({ path: screenshotPath(shots, "3-after-reload") });
  });

  it("the cache's output holds no token and no note", () => {
    const file = saveLog("offline-notes", cache.output());
    expect(
      findSecrets(cache.output(), { tokens: [token.token], values: [...texts, "edited offline, then the tab reloaded"] }),
      `see ${file}`,
    ).toEqual([]);
  });
});
