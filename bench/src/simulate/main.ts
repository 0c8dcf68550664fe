/**
 * `npm run simulate -- --rate 1e6 --keys 1e8 --zipf 1.0 --colos 300`: the capacity model
 * (docs/capacity.md) played forward in Node, no network. Prints one deployment in detail, then the
 * same traffic with each tier on and off, as a table.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseSimulateArgs, usage, UsageError, type SimulateOptions } from "./args.ts";
import { compareWithBench } from "./bench-prediction.ts";
import { plan, type PlanInput } from "./plan.ts";
import { zipfPopularity } from "./popularity.ts";
import { benchTable, describePlan, describeScenario, tierTable, type Scenario } from "./report.ts";
import type { TierStack } from "./tiers.ts";

/** Colos and micro-cache window used for the comparison rows when the command line turns them off. */
const TABLE_COLOS = 300;
const TABLE_MICRO_CACHE_MS = 1_000;

function main(argv: string[]): void {
  const options = parseSimulateArgs(argv);
  if (options.help) {
    console.log(usage());
    return;
  }
  if (options.checkBench) {
    const path = options.baseline ?? fileURLToPath(new URL("../../baseline.json", import.meta.url));
    const shown = options.baseline ?? "bench/baseline.json";
    try {
      const table = benchTable(compareWithBench(JSON.parse(readFileSync(path, "utf8"))));
      console.log(`The model against one bench run (${shown}):\n\n${table.join("\n")}`);
    } catch (error) {
      // A missing file or figure is the run's problem, not the program's: say which, no stack.
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    }
    return;
  }
  const started = performance.now();
  const popularity = zipfPopularity({ keys: options.keys, s: options.zipf });
  const tiersOf = (colos: number, microMs: number): TierStack => ({
    ...(colos > 0 ? { colo: { copies: colos, windowSeconds: options["shared-max-age"] } } : {}),
    ...(microMs > 0 ? { micro: { copies: options.isolates, windowSeconds: microMs / 1_000 } } : {}),
  });
  const input = (tiers: TierStack, shards?: number): PlanInput => ({
    readRate: options.rate,
    popularity,
    tiers,
    objectRps: options["object-rps"],
    targetUtilisation: options.utilisation,
    valueBytes: options["value-bytes"],
    ...(shards === undefined ? {} : { shards }),
    maxShards: options["max-shards"],
    storageFill: options["storage-fill"],
    entryLifetimeSeconds: options["lifetime-ms"] / 1_000,
    writeRate: options.writes,
    flushIntervalSeconds: options["flush-interval-ms"] / 1_000,
    d1RowMs: options["d1-row-ms"],
    concurrency: options.concurrency,
    taggedKeys: options["tagged-keys"],
    fanOutRoundTripMs: options["fanout-rtt-ms"],
    purgeMsPerKey: options["purge-ms-per-key"],
    seed: options.seed,
    queueArrivals: options.arrivals,
  });
  const scenario: Scenario = {
    readRate: options.rate,
    keys: popularity.keys,
    s: options.zipf,
    valueBytes: options["value-bytes"],
    objectRps: options["object-rps"],
    utilisation: options.utilisation,
    tiers: tierWords(options),
  };
  const result = plan(input(tiersOf(options.colos, options["micro-cache-ms"]), options.shards));
  console.log(
    [
      ...describeScenario(scenario),
      "",
      ...describePlan(result, scenario, { taggedKeys: options["tagged-keys"], concurrency: options.concurrency }),
    ].join("\n"),
  );

  const colos = options.colos > 0 ? options.colos : TABLE_COLOS;
  const microMs = options["micro-cache-ms"] > 0 ? options["micro-cache-ms"] : TABLE_MICRO_CACHE_MS;
  const microLabel = `micro-cache ${microMs} ms (${options.isolates.toLocaleString("en-US")} isolates)`;
  const coloLabel = `colo tier (${colos} colos, ${options["shared-max-age"]} s)`;
  const rows = [
    { label: "nothing (shards only)", tiers: tiersOf(0, 0) },
    { label: microLabel, tiers: tiersOf(0, microMs) },
    { label: coloLabel, tiers: tiersOf(colos, 0) },
    { label: `${coloLabel} + ${microLabel}`, tiers: tiersOf(colos, microMs) },
  ].map(({ label, tiers }) => ({ label, result: plan(input(tiers)) }));
  console.log(
    `\nThe same traffic with each tier (objects planned at ${Math.round(options.utilisation * 100)} % of ${options["object-rps"].toLocaleString("en-US")} req/s):\n`,
  );
  console.log(tierTable(rows, options.concurrency).join("\n"));
  console.log(
    `\nsimulated in ${((performance.now() - started) / 1_000).toFixed(1)} s (seed ${options.seed}); formulas and limits: docs/capacity.md`,
  );
}

function tierWords(options: SimulateOptions): string {
  const colo = options.colos > 0 ? `colo tier in ${options.colos} colos (sharedMaxAge ${options["shared-max-age"]} s)` : "no colo tier";
  const micro =
    options["micro-cache-ms"] > 0
      ? `micro-cache ${options["micro-cache-ms"]} ms in ${options.isolates.toLocaleString("en-US")} isolates`
      : "micro-cache off";
  return `${colo}; ${micro}`;
}

try {
  main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`${error.message}\n\n${usage()}`);
  process.exitCode = 2;
}
