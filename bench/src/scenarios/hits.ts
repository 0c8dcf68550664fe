/**
 * Hot-key hits and spread hits, measured interleaved with their baselines (bare route, DO floor)
 * in the same rounds, each target series right beside its floor (`roundOrder`), so a noisy
 * neighbour on the machine slows both sides of a ratio alike. Each ratio to a baseline is the
 * median of the per-round ratios; the req/s and ms shown are medians per series.
 *
 *   hot-key: `get` of one cached key        spread: `get` of 10,000 cached keys, uniformly
 *
 * More series split the hot `get` into parts (see bench/worker/entry.ts): the auth middleware
 * alone, the request log and CORS alone, the shard `get` without tRPC and auth, and the `get` short
 * path without the request log and CORS. Two more read the same hot key in namespaces configured
 * for it: `hotlines` logs every successful read on its own line (`requestLog.successfulReads:
 * "lines"`, the default before issue 14, kept so the difference stays visible), and `hotmc` adds the
 * isolate micro-cache (`hotCache: { maxAgeMs: 1000 }`, issue 9) to the defaults, which serves it
 * without a DO call: the figure that can rise above the DO floor.
 */
import { CacheApi } from "../cache-api.ts";
import { runLoad, type LoadRun, type LoadSpec } from "../load.ts";
import { fmt, type Row, type ScenarioContext, type ScenarioResult } from "../scenario.ts";
import { medianOf } from "../stats.ts";
import { mulberry32 } from "../zipf.ts";

/** The baselines later scenarios compare with. */
export interface Baselines {
  floorRps10: number;
  bareRps10: number;
}

const VALUE = { sku: "SKU-000123", name: "Trail running shoe", price: 89.5, currency: "EUR", stock: 42, tags: ["shoes", "outdoor"] };

export type Series =
  | "bare10"
  | "auth10"
  | "floor10"
  | "shard10"
  | "logged10"
  | "fastget10"
  | "hot10"
  | "lines10"
  | "hotmc10"
  | "spread10"
  | "floorspread10"
  | "floor1"
  | "hot1"
  | "lines1"
  | "hotmc1"
  | "spread1";

/**
 * The series of a round, in blocks: a target series runs right beside the floor it is judged
 * against, so its per-round ratio compares two measurements seconds apart rather than up to a
 * whole round (~30 s) apart, on a machine whose speed drifts by ±30 % within a minute.
 */
const BLOCKS: readonly (readonly Series[])[] = [
  ["floor10", "hot10", "spread10", "floorspread10"],
  ["floor1", "hot1", "spread1"],
  ["bare10"],
  ["auth10"],
  ["logged10"],
  ["fastget10"],
  ["shard10"],
  ["lines10"],
  ["hotmc10"],
  ["lines1"],
  ["hotmc1"],
];

/**
 * Round `run`'s order (1-based): the blocks rotated, so no block always runs at the same point of a
 * round or after the same neighbour, and each block reversed every other round, so no series is
 * always the first of its pair (ABBA).
 */
export function roundOrder(run: number): Series[] {
  const shift = (run - 1) % BLOCKS.length;
  const rotated = [...BLOCKS.slice(shift), ...BLOCKS.slice(0, shift)];
  return rotated.flatMap((block) => (run % 2 === 0 ? [...block].reverse() : [...block]));
}

/** The micro-cache's bound in the bench's `hotmc` namespace (bench/src/environment.ts). */
const MICRO_CACHE_MAX_AGE_MS = 1_000;

export async function hitScenarios({
  env,
  settings,
  log,
}: ScenarioContext): Promise<{ hot: ScenarioResult; spread: ScenarioResult; baselines: Baselines }> {
  const { spreadKeys, seconds, rounds } = settings.hits;
  await env.api.mutate("set", { namespace: "hot", key: "hot", value: VALUE });
  await env.api.mutate("set", { namespace: "hotlines", key: "hot", value: VALUE });
  await env.api.mutate("set", { namespace: "hotmc", key: "hot", value: VALUE });
  const seedStarted = performance.now();
  await env.api.setMany(Array.from({ length: spreadKeys }, (_, i) => ({ namespace: "spread", key: `s${i}`, value: { ...VALUE, n: i } })));
  log(`  seeded ${spreadKeys} spread keys in ${Math.round(performance.now() - seedStarted)} ms`);

  const random = mulberry32(7);
  const spreadPaths = Array.from({ length: spreadKeys }, (_, i) => CacheApi.getPath("spread", `s${i}`));
  const spec = (connections: number, path: LoadSpec["path"]): Omit<LoadSpec, "seconds"> => ({
    baseUrl: env.url,
    connections,
    headers: env.authHeaders,
    path,
  });
  const hotPath = CacheApi.getPath("hot", "hot");
  const hotLinesPath = CacheApi.getPath("hotlines", "hot");
  const hotMicroPath = CacheApi.getPath("hotmc", "hot");
  const spreadPath = () => spreadPaths[Math.floor(random() * spreadKeys)]!;
  const specs: Record<Series, Omit<LoadSpec, "seconds">> = {
    bare10: spec(10, "/bench/bare"),
    auth10: spec(10, "/bench/auth"),
    floor10: spec(10, "/bench/do-floor"),
    shard10: spec(10, "/bench/shard-get/hot/hot"),
    logged10: spec(10, "/bench/logged"),
    fastget10: spec(10, hotPath.replace("/trpc/get", "/bench/fast-get")),
    hot10: spec(10, hotPath),
    lines10: spec(10, hotLinesPath),
    hotmc10: spec(10, hotMicroPath),
    spread10: spec(10, spreadPath),
    // The DO floor over eight objects (the spread namespace's shard count), picked by a random key in the path.
    floorspread10: spec(10, () => `/bench/do-floor/s${Math.floor(random() * spreadKeys)}`),
    floor1: spec(1, "/bench/do-floor"),
    hot1: spec(1, hotPath),
    lines1: spec(1, hotLinesPath),
    hotmc1: spec(1, hotMicroPath),
    spread1: spec(1, spreadPath),
  };

  for (const name of ["bare10", "auth10", "floor10", "shard10", "hot10", "lines10", "hotmc10", "spread10", "floorspread10"] as const)
    await runLoad({ ...specs[name], seconds: settings.warmupSeconds });
  const runs: Record<Series, LoadRun>[] = [];
  for (let run = 1; run <= rounds; run++) {
    const round = {} as Record<Series, LoadRun>;
    for (const name of roundOrder(run)) round[name] = await runLoad({ ...specs[name], seconds });
    runs.push(round);
    log(
      `  round ${run} (10 conn req/s): bare ${Math.round(round.bare10.rps)}, auth ${Math.round(round.auth10.rps)}, logged ${Math.round(round.logged10.rps)}, ` +
        `floor ${Math.round(round.floor10.rps)}, fast get no log ${Math.round(round.fastget10.rps)}, ` +
        `shard get ${Math.round(round.shard10.rps)}, hot get ${Math.round(round.hot10.rps)}, every line logged ${Math.round(round.lines10.rps)}, ` +
        `+ micro-cache ${Math.round(round.hotmc10.rps)}, ` +
        `spread get ${Math.round(round.spread10.rps)} (floor over 8 objects ${Math.round(round.floorspread10.rps)})`,
    );
  }
  const m = (series: Series, figure: keyof LoadRun) => medianOf(runs, (round) => round[series][figure]);
  /** The median over rounds of `series`' figure divided by `baseline`'s in the same round. */
  const paired = (series: Series, baseline: Series, figure: keyof LoadRun) =>
    medianOf(runs, (round) => round[series][figure] / round[baseline][figure]);
  const failedRequests = runs.reduce((sum, round) => sum + Object.values(round).reduce((s, r) => s + r.non2xx + r.errors, 0), 0);
  const baselines: Baselines = { floorRps10: m("floor10", "rps"), bareRps10: m("bare10", "rps") };
  const floor = {
    rps10: baselines.floorRps10,
    p50_10: m("floor10", "p50"),
    p99_10: m("floor10", "p99"),
    p50_1: m("floor1", "p50"),
    p99_1: m("floor1", "p99"),
  };

  /** `minRatioToFloor`: the throughput target; the hot key also has latency targets and the configured variants. */
  const describe = (scenario: string, prefix: "hot" | "spread", minRatioToFloor: number): ScenarioResult => {
    const withTargets = prefix === "hot";
    const figures = {
      rps10: m(`${prefix}10`, "rps"),
      p50_10: m(`${prefix}10`, "p50"),
      p99_10: m(`${prefix}10`, "p99"),
      p50_1: m(`${prefix}1`, "p50"),
      p99_1: m(`${prefix}1`, "p99"),
      floorRps10: floor.rps10,
      floorP50_10: floor.p50_10,
      floorP99_10: floor.p99_10,
      floorP50_1: floor.p50_1,
      floorP99_1: floor.p99_1,
      bareRps10: baselines.bareRps10,
      bareP50_10: m("bare10", "p50"),
      authRps10: m("auth10", "rps"),
      shardGetRps10: m("shard10", "rps"),
      loggedRps10: m("logged10", "rps"),
      fastGetNoLogRps10: m("fastget10", "rps"),
      ratioToFloor: 0,
      ratioToBare: 0,
      p50_1RatioToFloor: 0,
      failedRequests,
      // The spread's keys live on eight objects: the floor over as many, beside the one-object floor its target is set against.
      floorSpreadRps10: m("floorspread10", "rps"),
    };
    figures.ratioToFloor = paired(`${prefix}10`, "floor10", "rps");
    figures.ratioToBare = paired(`${prefix}10`, "bare10", "rps");
    figures.p50_1RatioToFloor = paired(`${prefix}1`, "floor1", "p50");
    const p99_1RatioToFloor = paired(`${prefix}1`, "floor1", "p99");
    const ratioToFloorSpread = paired(`${prefix}10`, "floorspread10", "rps");
    const rows: Row[] = [
      {
        figure: "10 conn: throughput",
        value: fmt.rps(figures.rps10),
        baseline:
          `${fmt.pct(figures.ratioToFloor)} of DO floor (${fmt.rps(figures.floorRps10)}); ${fmt.pct(figures.ratioToBare)} of bare route (${fmt.rps(figures.bareRps10)})` +
          (prefix === "hot" ? "" : `; ${fmt.pct(ratioToFloorSpread)} of the floor over 8 objects (${fmt.rps(figures.floorSpreadRps10)})`),
        target: `≥ ${Math.round(minRatioToFloor * 100)} % of DO floor`,
        met: figures.ratioToFloor >= minRatioToFloor,
      },
      {
        figure: "10 conn: p50 / p99",
        value: `${fmt.ms(figures.p50_10)} / ${fmt.ms(figures.p99_10)}`,
        baseline: `DO floor ${fmt.ms(figures.floorP50_10)} / ${fmt.ms(figures.floorP99_10)}`,
      },
      {
        figure: "1 conn: p50",
        value: fmt.ms(figures.p50_1),
        baseline: `${fmt.times(figures.p50_1RatioToFloor)} DO floor (${fmt.ms(figures.floorP50_1)})`,
        ...(withTargets ? { target: "≤ 1.2× DO floor", met: figures.p50_1RatioToFloor <= 1.2 } : {}),
      },
      {
        figure: "1 conn: p99",
        value: fmt.ms(figures.p99_1),
        baseline: `${fmt.times(p99_1RatioToFloor)} DO floor (${fmt.ms(figures.floorP99_1)})`,
        ...(withTargets ? { target: "≤ 1.5× DO floor p99", met: p99_1RatioToFloor <= 1.5 } : {}),
      },
    ];
    if (withTargets) {
      // The same key with every successful read logged on its own line (the old default), and with
      // the micro-cache on (issue 9).
      const tuned = {
        linesRps10: m("lines10", "rps"),
        linesP50_10: m("lines10", "p50"),
        linesP99_10: m("lines10", "p99"),
        linesP50_1: m("lines1", "p50"),
        linesP99_1: m("lines1", "p99"),
        linesRatioToFloor: 0,
        microMaxAgeMs: MICRO_CACHE_MAX_AGE_MS,
        microRps10: m("hotmc10", "rps"),
        microP50_10: m("hotmc10", "p50"),
        microP99_10: m("hotmc10", "p99"),
        microP50_1: m("hotmc1", "p50"),
        microP99_1: m("hotmc1", "p99"),
        microRatioToFloor: 0,
        microRatioToOff: 0,
        microRatioToBare: 0,
      };
      tuned.linesRatioToFloor = paired("lines10", "floor10", "rps");
      tuned.microRatioToFloor = paired("hotmc10", "floor10", "rps");
      tuned.microRatioToOff = paired("hotmc10", "hot10", "rps");
      tuned.microRatioToBare = paired("hotmc10", "bare10", "rps");
      Object.assign(figures, tuned);
      rows.push(
        {
          figure: "10 conn: throughput, every read logged on its own line (the old default)",
          value: fmt.rps(tuned.linesRps10),
          baseline: `${fmt.pct(tuned.linesRatioToFloor)} of DO floor (${fmt.rps(figures.floorRps10)}); the defaults are ${fmt.times(paired("hot10", "lines10", "rps"))} that`,
        },
        {
          figure: "every read logged: 1 conn p50 / p99",
          value: `${fmt.ms(tuned.linesP50_1)} / ${fmt.ms(tuned.linesP99_1)}`,
          baseline: `${fmt.times(paired("lines1", "floor1", "p50"))} DO floor p50 (${fmt.ms(figures.floorP50_1)}); 10 conn ${fmt.ms(tuned.linesP50_10)} / ${fmt.ms(tuned.linesP99_10)}`,
        },
        {
          figure: `10 conn: throughput, micro-cache on (maxAgeMs ${MICRO_CACHE_MAX_AGE_MS})`,
          value: fmt.rps(tuned.microRps10),
          baseline:
            `${fmt.pct(tuned.microRatioToFloor)} of DO floor (${fmt.rps(figures.floorRps10)}); ${fmt.times(tuned.microRatioToOff)} micro-cache off ` +
            `(${fmt.rps(figures.rps10)}); ${fmt.pct(tuned.microRatioToBare)} of bare route`,
          target: "> DO floor (issue 9)",
          met: tuned.microRatioToFloor > 1,
        },
        {
          figure: "micro-cache on: p50 / p99",
          value: `10 conn ${fmt.ms(tuned.microP50_10)} / ${fmt.ms(tuned.microP99_10)}; 1 conn ${fmt.ms(tuned.microP50_1)} / ${fmt.ms(tuned.microP99_1)}`,
          baseline: `off: 10 conn ${fmt.ms(figures.p50_10)} / ${fmt.ms(figures.p99_10)}; 1 conn ${fmt.ms(figures.p50_1)} / ${fmt.ms(figures.p99_1)}`,
        },
        {
          figure: "parts, 10 conn",
          value: `bare ${fmt.int(figures.bareRps10)} → +auth ${fmt.int(figures.authRps10)}; bare +request log & CORS ${fmt.int(figures.loggedRps10)} req/s`,
          baseline:
            `DO floor ${fmt.int(figures.floorRps10)} → shard get, no tRPC/auth ${fmt.int(figures.shardGetRps10)} → +auth, get short path ` +
            `${fmt.int(figures.fastGetNoLogRps10)} → +request log & CORS = full get ${fmt.int(figures.rps10)} req/s`,
        },
      );
    }
    return {
      scenario,
      status: "ok",
      figures,
      runs:
        prefix === "hot"
          ? runs.map(({ spread10: _s10, spread1: _s1, floorspread10: _f10, ...round }) => round)
          : runs.map((round) => ({ spread10: round.spread10, spread1: round.spread1, floorspread10: round.floorspread10 })),
      rows,
    };
  };
  return {
    hot: describe("hot-key hits", "hot", 0.9),
    spread: { ...describe(`spread hits (${spreadKeys.toLocaleString("en-US")} keys)`, "spread", 0.85) },
    baselines,
  };
}
