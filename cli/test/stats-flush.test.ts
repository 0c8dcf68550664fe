// stats (a table, --json, --watch until Ctrl-C) and flush through the built CLI against wrangler dev.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startCli } from "./support/run-cli.ts";
import { startTestCache, type TestCache } from "./support/test-cache.ts";

let cache: TestCache;

beforeAll(async () => {
  cache = await startTestCache((origin) => ({
    default: {},
    "stats-origin": { shards: 2, origin: { url: `${origin}/items/{key}`, timeoutMs: 5_000 } },
    // Flushed only when asked: the interval is far beyond the test.
    "stats-wb": { shards: 2, writeBehind: { sink: "d1", flushIntervalMs: 600_000 } },
  }));
  const env = { ...cache.env(), CACHE_SYNC_NAMESPACE: "stats-origin" };
  await runCli(["get", "counted"], { env }); // a miss, loaded from the origin
  await runCli(["get", "counted"], { env }); // a hit
});

afterAll(async () => {
  await cache?.stop();
});

const env = () => ({ ...cache.env(), CACHE_SYNC_NAMESPACE: "stats-origin" });

describe("stats", () => {
  it("--json prints the namespace's counters", async () => {
    // Shards report their counters every few seconds: wait for the two reads to show.
    await expect
      .poll(async () => (await runCli(["stats", "--json"], { env: env() })).json(), { timeout: 30_000, interval: 1_000 })
      .toMatchObject({ namespace: "stats-origin", shards: 2, hits: expect.any(Number), originFetches: 1 });
    const stats = (await runCli(["stats", "--json"], { env: env() })).json();
    expect(stats.hits).toBeGreaterThanOrEqual(1);
    expect(stats.latencyMs).toEqual({ p50: expect.any(Number), p99: expect.any(Number) });
  });

  it("prints a table of every counter, with units", async () => {
    const result = await runCli(["stats"], { env: env() });
    expect(result.code).toBe(0);
    const rows = result.stdout.trimEnd().split("\n");
    expect(rows[0]).toMatch(/^metric +value$/);
    expect(rows[1]).toMatch(/^─+ +─+$/);
    expect(result.stdout).toMatch(/^namespace +stats-origin$/m);
    expect(result.stdout).toMatch(/^shards +2$/m);
    expect(result.stdout).toMatch(/^hit rate +\d+\.\d %$/m);
    expect(result.stdout).toMatch(/^get latency p99 +[\d.]+ ms$/m);
    expect(result.stdout).toMatch(/^invalidations failed +0$/m);
    // Counters the server adds beyond the contract (earlyRefreshes) still show, labelled from their field path.
    expect(result.stdout).toMatch(/^early refreshes +\d+$/m);
  });

  it("--watch reprints the table every interval (plain when not a terminal) until Ctrl-C, then exits 0", async () => {
    const cli = startCli(["stats", "--watch", "0.5"], { env: env() });
    await cli.waitFor((c) => (c.stdout.match(/^metric +value$/gm) ?? []).length >= 2);
    cli.child.kill("SIGINT");
    const result = await cli.result();
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/every 0\.5 s, \d{4}-\d\d-\d\dT/);
    expect(result.stdout).not.toContain("\x1b[");
    expect(result.stderr).toBe("");
  });

  it("--json --watch prints one JSON document per line (NDJSON)", async () => {
    const cli = startCli(["stats", "--json", "--watch", "0.5"], { env: env() });
    await cli.waitFor((c) => c.stdout.split("\n").length > 2);
    cli.child.kill("SIGINT");
    const result = await cli.result();
    expect(result.code).toBe(0);
    const docs = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(docs.length).toBeGreaterThanOrEqual(2);
    for (const doc of docs) expect(doc).toMatchObject({ namespace: "stats-origin", shards: 2 });
  });

  it("--watch with a bad interval is a usage error", async () => {
    const result = await runCli(["stats", "--watch", "soon"], { env: env() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--watch.*expected a number of seconds/);
  });
});

describe("flush", () => {
  it("pushes pending write-behind records to the main database and reports the counts", async () => {
    const wb = { ...cache.env(), CACHE_SYNC_NAMESPACE: "stats-wb" };
    expect((await runCli(["set", "row-1", '{"n":1}'], { env: wb })).code).toBe(0);
    expect((await runCli(["set", "row-2", '{"n":2}'], { env: wb })).code).toBe(0);
    const flushed = await runCli(["flush", "--json"], { env: wb });
    expect(flushed.code).toBe(0);
    expect(flushed.json()).toEqual({ flushed: 2, pending: 0, deadLetters: 0 });
    const again = await runCli(["flush"], { env: wb });
    expect(again.stdout).toBe("flushed 0, still pending 0\n");
  });

  it("needs the admin scope (exit 3 for a read-only token)", async () => {
    const result = await runCli(["flush"], { env: cache.env(cache.reader.token) });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/FORBIDDEN: .*"admin" scope/);
  });
});
