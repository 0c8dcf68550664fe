/**
 * The bench harness itself works: every scenario runs (briefly, `--quick`) against the real
 * Worker and produces its figures. Speed is not asserted here; the bench reports it.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { BENCH_CONFIG } from "../src/environment.ts";
import { runBench } from "../src/run-bench.ts";

const ROOT_CONFIG = new URL("../../wrangler.jsonc", import.meta.url).pathname;

/** wrangler.jsonc holds only whole-line // comments. */
const readConfig = (path: string) => JSON.parse(readFileSync(path, "utf8").replace(/^\s*\/\/.*$/gm, "")) as Record<string, any>;

describe("bench/wrangler.jsonc", () => {
  it("carries every binding of the root wrangler.jsonc, so the bench builds the same Worker", () => {
    const root = readConfig(ROOT_CONFIG);
    const bench = readConfig(BENCH_CONFIG);
    expect(bench.compatibility_date).toBe(root.compatibility_date);
    expect(bench.compatibility_flags).toEqual(root.compatibility_flags);
    expect(bench.durable_objects.bindings).toEqual(expect.arrayContaining(root.durable_objects.bindings));
    expect(bench.migrations.slice(0, root.migrations.length)).toEqual(root.migrations);
    const dbs = (config: Record<string, any>, path: string) =>
      (config.d1_databases ?? []).map((db: Record<string, string>) => ({
        ...db,
        migrations_dir: resolve(dirname(path), db.migrations_dir!),
      }));
    expect(dbs(bench, BENCH_CONFIG)).toEqual(dbs(root, ROOT_CONFIG));
    const names = (config: Record<string, any>) => (config.ratelimits ?? []).map((r: { name: string }) => r.name);
    expect(names(bench)).toEqual(names(root));
    const assetsDir = (config: Record<string, any>, path: string) =>
      config.assets && { ...config.assets, directory: resolve(dirname(path), config.assets.directory) };
    expect(assetsDir(bench, BENCH_CONFIG)).toEqual(assetsDir(root, ROOT_CONFIG));
    for (const key of Object.keys(root)) {
      // `env` holds the deployed environments (staging, production); the bench runs the local Worker.
      if (
        !["$schema", "name", "main", "assets", "env", "durable_objects", "migrations", "d1_databases", "ratelimits", "vars"].includes(key)
      ) {
        expect(bench[key], `bench/wrangler.jsonc: ${key}`).toEqual(root[key]);
      }
    }
  });
});

describe("npm run bench -- --quick", () => {
  it("runs every scenario and each produces its figures", async () => {
    const lines: string[] = [];
    const results = await runBench({ quick: true, log: (line) => lines.push(line) });
    const log = lines.join("\n");

    expect(results.mode).toBe("quick");
    expect(results.machine.cpus).toBeGreaterThan(0);
    expect(Date.parse(results.date)).not.toBeNaN();
    expect(results.scenarios.map((s) => s.scenario.split(" (")[0])).toEqual([
      "hot-key hits",
      "spread hits",
      "thundering herd",
      "stale under load",
      "Zipf traffic",
      "invalidation",
      "write-behind",
      "anonymous writes",
      "colo tier",
    ]);
    for (const scenario of results.scenarios) {
      // Write-behind may be missing from a build (set answers 501); anything else must run.
      if (scenario.scenario === "write-behind" && scenario.status === "not available") {
        expect(scenario.reason).toMatch(/NOT_IMPLEMENTED/);
        continue;
      }
      expect(scenario.status, `${scenario.scenario}: ${scenario.reason}\n${log}`).toBe("ok");
      expect(scenario.rows.length, scenario.scenario).toBeGreaterThan(0);
      expect(Object.keys(scenario.figures).length, scenario.scenario).toBeGreaterThan(0);
      for (const [figure, value] of Object.entries(scenario.figures)) {
        expect(Number.isFinite(value), `${scenario.scenario}: ${figure} = ${value}\n${log}`).toBe(true);
      }
      if ("failedRequests" in scenario.figures) expect(scenario.figures.failedRequests, `${scenario.scenario}\n${log}`).toBe(0);
      expect(results.table).toContain(scenario.scenario);
    }
    // Issue 9's figures: hot-key throughput with the micro-cache on, next to off and the DO floor;
    // stale answers and origin requests per fresh window with refresh-ahead on and off.
    const figuresOf = (name: string) => results.scenarios.find((s) => s.scenario.startsWith(name))!.figures;
    // Also the same key with every read logged on its own line (the old default, issue 14), and with the micro-cache.
    expect(Object.keys(figuresOf("hot-key hits"))).toEqual(
      expect.arrayContaining([
        "rps10",
        "floorRps10",
        "linesRps10",
        "linesRatioToFloor",
        "microRps10",
        "microRatioToFloor",
        "microRatioToOff",
      ]),
    );
    expect(figuresOf("hot-key hits").microRps10).toBeGreaterThan(0);
    expect(figuresOf("hot-key hits").linesRps10).toBeGreaterThan(0);
    expect(results.table).toContain("every read logged on its own line");
    // Issue 14: the herd through the read-through proxy too.
    expect(figuresOf("thundering herd").readThroughP99).toBeGreaterThan(0);
    expect(results.table).toContain("/r: p50 / p99");
    expect(Object.keys(figuresOf("stale under load"))).toEqual(
      expect.arrayContaining(["staleShare", "offStaleShare", "originPerFreshWindow", "offOriginPerFreshWindow"]),
    );
    expect(figuresOf("stale under load").offRequests).toBeGreaterThan(0);
    expect(results.table).toContain("micro-cache on");
    expect(results.table).toContain("stale answers, refresh-ahead on / off");
  });
});
