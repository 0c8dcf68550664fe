/**
 * Runs every scenario against one bench environment, in order, and collects the results. A
 * scenario that throws is reported as failed; the others still run.
 */
import { writeFileSync } from "node:fs";
import { startEnvironment } from "./environment.ts";
import { machine, renderTable, type BenchResults } from "./report.ts";
import { failed, type ScenarioContext, type ScenarioResult } from "./scenario.ts";
import { anonymousWritesScenario } from "./scenarios/anonymous-writes.ts";
import { coloScenario } from "./scenarios/colo.ts";
import { hitScenarios, type Baselines } from "./scenarios/hits.ts";
import { herdScenario } from "./scenarios/herd.ts";
import { invalidationScenario } from "./scenarios/invalidation.ts";
import { staleScenario } from "./scenarios/stale.ts";
import { writeBehindScenario } from "./scenarios/write-behind.ts";
import { zipfScenario } from "./scenarios/zipf.ts";
import { FULL, QUICK } from "./settings.ts";

/** Scenario groups, in the order they run; `--only` picks some of them. */
export const SCENARIO_GROUPS = ["hits", "herd", "stale", "zipf", "invalidation", "write-behind", "hostile", "colo"] as const;
export type ScenarioGroup = (typeof SCENARIO_GROUPS)[number];

export interface RunOptions {
  quick: boolean;
  /** Run only these groups (default: all). The herd's target needs "hits" for the DO-floor baseline. */
  only?: readonly ScenarioGroup[];
  /** Where to write results.json (none: do not write). */
  resultsPath?: string;
  log?: (line: string) => void;
}

export async function runBench({ quick, only = SCENARIO_GROUPS, resultsPath, log = console.log }: RunOptions): Promise<BenchResults> {
  const settings = quick ? QUICK : FULL;
  const started = performance.now();
  log(`cache-sync bench (${settings.mode}): starting wrangler dev and the local origin…`);
  const env = await startEnvironment(settings);
  const context: ScenarioContext = { env, settings, log };
  const scenarios: ScenarioResult[] = [];
  const attempt = async (group: ScenarioGroup, name: string, run: () => Promise<ScenarioResult>) => {
    if (!only.includes(group)) return;
    log(`${name}…`);
    try {
      scenarios.push(await run());
    } catch (error) {
      log(`  failed: ${error instanceof Error ? error.stack : String(error)}`);
      scenarios.push(failed(name, error));
    }
  };
  try {
    let baselines: Baselines | undefined;
    if (only.includes("hits")) {
      log("hot-key and spread hits, with the bare-route and DO-floor baselines…");
      try {
        const hits = await hitScenarios(context);
        baselines = hits.baselines;
        scenarios.push(hits.hot, hits.spread);
      } catch (error) {
        log(`  failed: ${error instanceof Error ? error.stack : String(error)}`);
        scenarios.push(failed("hot-key hits", error), failed("spread hits", error));
      }
    }
    await attempt("herd", "thundering herd", () => herdScenario(context, baselines));
    await attempt("stale", "stale under load", () => staleScenario(context));
    await attempt("zipf", "Zipf traffic", () => zipfScenario(context));
    await attempt("invalidation", "invalidation", () => invalidationScenario(context));
    await attempt("write-behind", "write-behind", () => writeBehindScenario(context));
    await attempt("hostile", "anonymous writes", () => anonymousWritesScenario(context));
  } finally {
    await env.stop();
  }
  // The colo tier on its own server: the other scenarios measure the defaults, where it is off.
  await attempt("colo", "colo tier", async () => {
    const coloEnv = await startEnvironment(settings, { coloTier: "cache-api" });
    try {
      return await coloScenario({ ...context, env: coloEnv });
    } finally {
      await coloEnv.stop();
    }
  });
  const table = renderTable(scenarios);
  const results: BenchResults = {
    date: new Date().toISOString(),
    mode: settings.mode,
    only: [...only],
    durationSeconds: Math.round((performance.now() - started) / 100) / 10,
    machine: machine(),
    settings,
    scenarios,
    table,
  };
  if (resultsPath) writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
  return results;
}
