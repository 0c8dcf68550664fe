// Issue 18, acceptance 2, from `wrangler dev`: 1,000 keys written with `shards: 4`; the Worker
// restarted with `shards: 8, previousShards: 4` (README "Changing `shards`"); every key reads back
// its last value, a tag invalidation purges every tagged key in old and new shards, and the main
// database (D1) holds the last write of every key.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { data, makeClient } from "@cache-sync/dev-kit/http";
import { bearer, cacheTokensVar, issueToken } from "@cache-sync/dev-kit/tokens";
import { until } from "@cache-sync/dev-kit/until";
import { startDevServer, type DevServer } from "@cache-sync/dev-kit/wrangler-dev";

const admin = issueToken("reshard-admin", ["admin"], ["*"]);
const KEYS = Array.from({ length: 1_000 }, (_, i) => `item-${i}`);
/** Keys written again after the change: their last write is the one after it. */
const REWRITTEN = KEYS.filter((_, i) => i % 5 === 0);

const vars = (shards: number, previousShards?: number) => {
  const sizing = { shards, ...(previousShards !== undefined && { previousShards }) };
  return {
    CACHE_CONFIG: {
      namespaces: {
        default: {},
        // No origin, no database: the shards hold the only copy.
        kv: { ...sizing, freshMs: 3_600_000 },
        // Write-behind to D1 (flushed by hand here), which is also where its misses read from.
        ledger: { ...sizing, freshMs: 3_600_000, writeBehind: { sink: "d1", flushIntervalMs: 600_000 } },
      },
    },
    CACHE_TOKENS: cacheTokensVar([admin]),
  };
};

let server: DevServer;
const client = () => makeClient(server.url, bearer(admin));

/** Runs `work` over `items`, `width` at a time. */
async function inParallel<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += width) results.push(...(await Promise.all(items.slice(i, i + width).map(work))));
  return results;
}

beforeAll(async () => {
  server = await startDevServer({ vars: vars(4) });
});

afterAll(async () => {
  await server?.stop();
});

it("a change from 4 to 8 shards loses nothing, purges both counts and keeps D1's last writes", async () => {
  const lastWrite = new Map<string, { value: unknown; version: number }>();
  for (const namespace of ["kv", "ledger"]) {
    await inParallel(KEYS, 50, async (key) => {
      const value = { key, round: 1 };
      const { version } = data(await client().mutate("set", { namespace, key, value, tags: ["all"] }));
      if (namespace === "ledger") lastWrite.set(key, { value, version });
    });
  }
  expect(data(await client().mutate("flush", { namespace: "ledger" }))).toMatchObject({ pending: 0 });

  // The documented procedure: set previousShards to the old count, shards to the new one, and restart.
  await server.stop();
  server = await startDevServer({ vars: vars(8, 4), stateDir: server.stateDir });

  const kvReads = await inParallel(KEYS, 50, async (key) => data(await client().query("get", { namespace: "kv", key })));
  expect(kvReads.filter((read, i) => !read.found || read.value.key !== KEYS[i]).length).toBe(0);

  await inParallel(REWRITTEN, 50, async (key) => {
    const value = { key, round: 2 };
    const { version } = data(await client().mutate("set", { namespace: "ledger", key, value, tags: ["all"] }));
    expect(version).toBeGreaterThan(lastWrite.get(key)!.version);
    lastWrite.set(key, { value, version });
  });
  const ledgerReads = await inParallel(KEYS, 50, async (key) => data(await client().query("get", { namespace: "ledger", key })));
  for (const [i, read] of ledgerReads.entries()) expect(read).toMatchObject({ found: true, value: lastWrite.get(KEYS[i]!)!.value });
  expect(data(await client().mutate("flush", { namespace: "ledger" }))).toMatchObject({ pending: 0 });

  const job = data(await client().mutate("invalidate", { namespace: "kv", tags: ["all"] }));
  const done = await until(
    `job ${job.id}`,
    async () => data(await client().query("status", { namespace: "kv", id: job.id })),
    (status) => status.state === "completed" || status.state === "failed",
    30_000,
  );
  expect(done).toMatchObject({ state: "completed", totalTargets: 8 });
  const afterPurge = await inParallel(KEYS, 50, async (key) => data(await client().query("get", { namespace: "kv", key })));
  expect(afterPurge.filter((read) => read.found).length).toBe(0);

  await server.stop();
  const rows = d1Rows(server.stateDir);
  expect(rows.size).toBe(KEYS.length);
  for (const [key, { value, version }] of lastWrite) expect(rows.get(key), key).toEqual({ value: JSON.stringify(value), version });
});

/** The ledger's rows in the local D1 database, read with wrangler after the server stopped. */
function d1Rows(stateDir: string): Map<string, { value: string; version: number }> {
  const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
  const result = spawnSync(
    process.execPath,
    [
      `${repoRoot}node_modules/wrangler/bin/wrangler.js`,
      "d1",
      "execute",
      "MAIN_DB",
      "--local",
      "--persist-to",
      stateDir,
      "--json",
      "--command",
      "SELECT key, value, version FROM cache_records WHERE namespace = 'ledger' AND deleted = 0",
    ],
    { cwd: repoRoot, encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" } },
  );
  if (result.status !== 0) throw new Error(`wrangler d1 execute failed:\n${result.stdout}\n${result.stderr}`);
  const [{ results }] = JSON.parse(result.stdout) as [{ results: { key: string; value: string; version: number }[] }];
  return new Map(results.map(({ key, value, version }) => [key, { value, version }]));
}
