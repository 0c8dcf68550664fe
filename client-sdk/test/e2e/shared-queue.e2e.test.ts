// Clients sharing one queue storage against the real Worker: two Chromium pages on one IndexedDB,
// and two Node processes on one queue directory, each queue 100 mutations while the server is
// down. Once it is back, all 200 are applied exactly once, each client's in its order (see
// support/workload.ts for how that shows), and every client's own promises settle with results.
// A proxy with a stable address stands in front of the server and counts what it forwards.
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "@cache-sync/dev-kit/browser";
import type { DevServer } from "@cache-sync/dev-kit/wrangler-dev";
import { createCacheClient } from "../../src/index.ts";
import { ADMIN_TOKEN, startCacheServer } from "../support/cache-server.ts";
import type { ChildMessage, ParentMessage } from "./support/queue-process.ts";
import { startSwitchableProxy, type SwitchableProxy } from "./support/switchable-proxy.ts";
import { KEYS, STEPS, type WorkloadOutcome } from "./support/workload.ts";

declare global {
  interface Window {
    queueSdk: typeof import("./support/page-entry.ts");
    sharedCache: import("../../src/index.ts").CacheClient;
    queued: Awaited<ReturnType<typeof import("./support/workload.ts").queueWorkload>>;
  }
}

const CONFIG = { namespaces: { default: {}, notes: {} } };
let server: DevServer | undefined;
let stateDir: string | undefined;
let proxy: SwitchableProxy;
let browser: Browser | undefined;
let childScript: string;

async function startServer(): Promise<void> {
  server = await startCacheServer(CONFIG, stateDir ? { stateDir } : {});
  stateDir = server.stateDir;
  proxy.target = server.url;
}

async function stopServer(): Promise<void> {
  proxy.target = undefined;
  await server?.stop();
  server = undefined;
}

const bundle = (entry: string, options: Parameters<typeof build>[0]) =>
  build({ entryPoints: [fileURLToPath(new URL(entry, import.meta.url))], bundle: true, write: false, ...options }).then(
    (r) => r.outputFiles![0]!.text,
  );

beforeAll(async () => {
  const [pageScript, processScript] = await Promise.all([
    bundle("./support/page-entry.ts", { format: "iife", globalName: "queueSdk", platform: "browser" }),
    bundle("./support/queue-process.ts", {
      format: "esm",
      platform: "node",
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    }),
  ]);
  childScript = join(mkdtempSync(join(tmpdir(), "sdk-queue-process-")), "queue-process.mjs");
  writeFileSync(childScript, processScript);
  proxy = await startSwitchableProxy({
    "/__test/page": { type: "text/html", body: '<!doctype html><script src="/__test/sdk.js"></script>' },
    "/__test/sdk.js": { type: "text/javascript", body: pageScript },
  });
  await startServer(); // creates the state directory and applies the D1 migrations
  await stopServer();
});

afterAll(async () => {
  await browser?.close();
  await stopServer();
  await proxy?.close();
});

/** Every key forwarded once: nothing replayed twice (and nothing sent that was not queued). */
function expectEachKeyForwardedOnce(count: number): void {
  const counts = [...proxy.forwardedKeys.values()];
  expect(counts).toHaveLength(count);
  expect(counts.filter((n) => n !== 1)).toEqual([]);
}

/** One client's outcomes, in the order it queued them: all applied, once, in order; the server agrees. */
async function expectAppliedOnceInOrder(prefix: string, outcomes: WorkloadOutcome[]): Promise<void> {
  expect(outcomes).toHaveLength(KEYS * STEPS);
  const deletes = outcomes.filter((o) => o.procedure === "delete");
  expect(deletes).toHaveLength(KEYS * 4);
  expect(deletes.every((o) => (o.result as { deleted: boolean }).deleted)).toBe(true);
  const check = createCacheClient({ url: server!.url, token: ADMIN_TOKEN, namespace: "notes", offlineQueue: false });
  for (let k = 0; k < KEYS; k++) {
    const key = `${prefix}-${k}`;
    const sets = outcomes.filter((o) => o.key === key && o.procedure === "set").map((o) => (o.result as { version: number }).version);
    expect(sets).toHaveLength(6);
    const entry = await check.get(key);
    expect(entry).toMatchObject({ found: true, value: { key, step: STEPS - 1 } });
    // Nothing was applied after this client's last write of the key, and that write was the last.
    expect(entry.version).toBe(sets.at(-1));
  }
  await check.close();
}

describe("one queue shared by several clients", () => {
  it("two Chromium pages on one IndexedDB: 200 mutations queued offline are applied exactly once, each page's in order", async () => {
    proxy.forwardedKeys.clear();
    browser = await launchChromium();
    const context = await browser.newContext();
    try {
      const pages = [await context.newPage(), await context.newPage()];
      for (const page of pages) {
        await page.goto(`${proxy.url}/__test/page`);
        await page.evaluate((token) => {
          window.sharedCache = window.queueSdk.createCacheClient({
            url: location.origin,
            token,
            namespace: "notes",
            storage: window.queueSdk.indexedDbStorage({ database: "shared-e2e" }),
            retry: { initialDelayMs: 50, maxDelayMs: 250 },
            timeoutMs: 30_000,
          });
          return window.sharedCache.ready;
        }, ADMIN_TOKEN);
      }
      // Both queue at the same time, interleaving their records in the one database.
      await Promise.all(
        pages.map((page, i) =>
          page.evaluate(
            async (prefix) => void (window.queued = await window.queueSdk.queueWorkload(window.sharedCache, prefix)),
            `page${i}`,
          ),
        ),
      );
      // Each page hears of the other's entries (BroadcastChannel), so both count the whole queue.
      for (const page of pages) await expect.poll(() => page.evaluate(() => window.sharedCache.pending)).toBe(200);
      expect(proxy.forwardedKeys.size).toBe(0);

      await startServer();
      const settled = await Promise.all(
        pages.map((page) =>
          page.evaluate(async () => {
            const outcomes = await Promise.all(
              window.queued.map(async (q) => ({ procedure: q.procedure, key: q.key, result: await q.applied })),
            );
            await window.sharedCache.sync({ timeoutMs: 60_000 });
            return { outcomes, deadLetters: window.sharedCache.deadLetters.length };
          }),
        ),
      );
      for (const page of pages) {
        await page.waitForFunction(() => window.sharedCache.pending === 0 && window.sharedCache.status === "online");
      }
      expectEachKeyForwardedOnce(200);
      for (const [i, { outcomes, deadLetters }] of settled.entries()) {
        expect(deadLetters).toBe(0);
        await expectAppliedOnceInOrder(`page${i}`, outcomes);
      }
      // The follower's results were read and removed: the database holds nothing more.
      await expect.poll(() => pages[0]!.evaluate(() => window.queueSdk.indexedDbStorage({ database: "shared-e2e" }).list())).toEqual([]);
    } finally {
      await context.close();
      await stopServer();
    }
  });

  it("two Node processes on one queue directory: 200 mutations queued offline are applied exactly once, each process's in order", async () => {
    proxy.forwardedKeys.clear();
    const dir = join(mkdtempSync(join(tmpdir(), "sdk-shared-queue-")), "queue");
    const children = [0, 1].map(() => fork(childScript, { stdio: ["ignore", "inherit", "inherit", "ipc"] }));
    const ask = (child: ChildProcess, message: ParentMessage) =>
      new Promise<ChildMessage>((resolve, reject) => {
        child.once("message", (answer: ChildMessage) => (answer.type === "error" ? reject(new Error(answer.message)) : resolve(answer)));
        child.once("exit", (code) => reject(new Error(`queue process exited with ${code}`)));
        child.send(message);
      });
    try {
      const queued = await Promise.all(
        children.map((child, i) => ask(child, { type: "queue", dir, url: proxy.url, token: ADMIN_TOKEN, prefix: `proc${i}` })),
      );
      expect(queued).toEqual([
        { type: "queued", queued: 100 },
        { type: "queued", queued: 100 },
      ]);
      expect(proxy.forwardedKeys.size).toBe(0);

      await startServer();
      const settled = await Promise.all(children.map((child) => ask(child, { type: "settle" })));
      expectEachKeyForwardedOnce(200);
      for (const [i, answer] of settled.entries()) {
        if (answer.type !== "settled") throw new Error(`unexpected answer ${answer.type}`);
        expect(answer).toMatchObject({ deadLetters: 0, pending: 0 });
        await expectAppliedOnceInOrder(`proc${i}`, answer.outcomes);
      }
    } finally {
      for (const child of children) if (child.connected) child.send({ type: "close" } satisfies ParentMessage);
      await Promise.all(
        children.map((child) => (child.exitCode !== null ? undefined : new Promise((resolve) => child.once("exit", resolve)))),
      );
      await stopServer();
    }
  });
});
