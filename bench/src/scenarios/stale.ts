/**
 * Stale under load: 10 connections read one origin-backed key for several freshness periods.
 * Each time it goes stale (or is refreshed ahead of that), callers should keep getting the cached
 * copy at hit latency while one background refresh runs. A refresh window opens when the origin
 * receives the refresh request and closes with the first answer carrying the newer version;
 * answers in flight during a window are compared with the others (steady).
 *
 * Each round runs the key twice, in two namespaces that differ only in refresh-ahead (issue 9):
 * `stale` (refreshAheadBeta 1, the default: XFetch refreshes a hot key before it goes stale) and
 * `staleoff` (0: plain stale-while-revalidate). For both it reports the share of answers that were
 * `state: "stale"` and the origin requests per fresh window (load duration / freshMs).
 */
import { CacheApi } from "../cache-api.ts";
import { runLoad, type Answer } from "../load.ts";
import { fmt, type ScenarioContext, type ScenarioResult } from "../scenario.ts";
import { medianOf, percentile } from "../stats.ts";

interface StaleRun {
  requests: number;
  /** Answers with `state: "stale"`, and their share of the successful answers. */
  staleAnswers: number;
  staleShare: number;
  refreshes: number;
  originRequests: number;
  originPerRefresh: number;
  /** How many fresh windows (freshMs) the load lasted, and origin requests per window. */
  freshWindows: number;
  originPerFreshWindow: number;
  duringRefresh: number;
  p99During: number;
  p99Steady: number;
  failedRequests: number;
}

interface Observation {
  start: number;
  end: number;
  latencyMs: number;
  state: string;
  version: number;
  ok: boolean;
}

/** The two variants, interleaved in each round: namespaces of bench/src/environment.ts. */
const VARIANTS = { on: "stale", off: "staleoff" } as const;
type Variant = keyof typeof VARIANTS;

export async function staleScenario({ env, settings, log }: ScenarioContext): Promise<ScenarioResult> {
  const { seconds, freshMs, originLatencyMs } = settings.stale;
  const runs: Record<Variant, StaleRun>[] = [];
  for (let run = 1; run <= settings.runs; run++) {
    const round = {} as Record<Variant, StaleRun>;
    for (const variant of Object.keys(VARIANTS) as Variant[]) {
      const result = await measure({ env, settings, log }, VARIANTS[variant], `stale-${variant}-${run}-${Date.now()}`);
      round[variant] = result;
      log(
        `  run ${run}, refresh-ahead ${variant}: ${result.refreshes} refreshes, ${result.originRequests} origin requests ` +
          `(${result.originPerFreshWindow.toFixed(2)} per fresh window); ${result.staleAnswers} of ${result.requests} answers stale; ` +
          `p99 during refresh ${fmt.ms(result.p99During)} (${result.duringRefresh} req), steady ${fmt.ms(result.p99Steady)}`,
      );
    }
    runs.push(round);
  }
  const med = (variant: Variant, pick: (r: StaleRun) => number) => medianOf(runs, (round) => pick(round[variant]));
  const on = runs.map((round) => round.on);
  const figures = {
    freshMs,
    originLatencyMs,
    // Refresh-ahead on (the namespace default, refreshAheadBeta 1): the issue-7 figures.
    refreshes: med("on", (r) => r.refreshes),
    originRequests: med("on", (r) => r.originRequests),
    originPerRefresh: med("on", (r) => r.originPerRefresh),
    maxOriginPerRefresh: Math.max(...on.map((r) => r.originPerRefresh)),
    requestsDuringRefresh: med("on", (r) => r.duringRefresh),
    staleAnswers: med("on", (r) => r.staleAnswers),
    maxStaleAnswers: Math.max(...on.map((r) => r.staleAnswers)),
    staleShare: med("on", (r) => r.staleShare),
    requests: med("on", (r) => r.requests),
    originPerFreshWindow: med("on", (r) => r.originPerFreshWindow),
    p99DuringRefresh: med("on", (r) => r.p99During),
    p99Steady: med("on", (r) => r.p99Steady),
    p99Ratio: 0,
    // Refresh-ahead off (refreshAheadBeta 0): plain stale-while-revalidate, for comparison.
    offRefreshes: med("off", (r) => r.refreshes),
    offOriginRequests: med("off", (r) => r.originRequests),
    offOriginPerRefresh: med("off", (r) => r.originPerRefresh),
    offStaleAnswers: med("off", (r) => r.staleAnswers),
    offStaleShare: med("off", (r) => r.staleShare),
    offRequests: med("off", (r) => r.requests),
    offOriginPerFreshWindow: med("off", (r) => r.originPerFreshWindow),
    offP99DuringRefresh: med("off", (r) => r.p99During),
    offP99Steady: med("off", (r) => r.p99Steady),
    freshWindows: med("on", (r) => r.freshWindows),
    failedRequests: runs.reduce((sum, round) => sum + round.on.failedRequests + round.off.failedRequests, 0),
  };
  figures.p99Ratio = figures.p99DuringRefresh / figures.p99Steady;
  return {
    scenario: "stale under load",
    status: "ok",
    figures,
    runs,
    rows: [
      {
        figure: "origin requests per refresh",
        value: figures.maxOriginPerRefresh.toFixed(2),
        baseline: `${fmt.int(figures.originRequests)} requests for ${fmt.int(figures.refreshes)} refreshes (fresh ${freshMs} ms, origin ${originLatencyMs} ms; refresh-ahead on)`,
        target: "1",
        met: figures.maxOriginPerRefresh === 1,
      },
      {
        figure: "p99 during refresh",
        value: fmt.ms(figures.p99DuringRefresh),
        baseline: `${fmt.times(figures.p99Ratio)} steady p99 (${fmt.ms(figures.p99Steady)}); ${fmt.int(figures.requestsDuringRefresh)} requests in refresh windows`,
        target: "≤ 1.5× steady p99",
        met: figures.p99Ratio <= 1.5,
      },
      {
        figure: "stale answers, refresh-ahead on / off",
        value: `${fmt.pct(figures.staleShare)} / ${fmt.pct(figures.offStaleShare)}`,
        baseline:
          `on: ${fmt.int(figures.staleAnswers)} of ${fmt.int(figures.requests)} (most in a run ${fmt.int(figures.maxStaleAnswers)}); ` +
          `off (refreshAheadBeta 0): ${fmt.int(figures.offStaleAnswers)} of ${fmt.int(figures.offRequests)}`,
        target: "none with refresh-ahead on (issue 9)",
        met: figures.maxStaleAnswers === 0,
      },
      {
        figure: "origin requests per fresh window, on / off",
        value: `${figures.originPerFreshWindow.toFixed(2)} / ${figures.offOriginPerFreshWindow.toFixed(2)}`,
        baseline:
          `on: ${fmt.int(figures.originRequests)}, off: ${fmt.int(figures.offOriginRequests)} origin requests in ${seconds} s ` +
          `= ${figures.freshWindows.toFixed(1)} windows of ${freshMs} ms; off: p99 during refresh ${fmt.ms(figures.offP99DuringRefresh)}, steady ${fmt.ms(figures.offP99Steady)}`,
        target: "≈ 1 with refresh-ahead on (issue 9; ±25 %)",
        met: Math.abs(figures.originPerFreshWindow - 1) <= 0.25,
      },
    ],
  };
}

/** One run: 10 connections on one fresh-loaded key of `namespace` for `seconds`. */
async function measure({ env, settings }: ScenarioContext, namespace: string, key: string): Promise<StaleRun> {
  const { seconds, freshMs, originLatencyMs } = settings.stale;
  await env.origin.behave({ key, latencyMs: originLatencyMs });
  const seeded = await env.api.query<{ version: number }>("get", { namespace, key });
  const originBefore = await env.origin.total(key);
  const observations: Observation[] = [];
  const load = await runLoad({
    baseUrl: env.url,
    connections: 10,
    seconds,
    headers: env.authHeaders,
    path: CacheApi.getPath(namespace, key),
    onAnswer: (answer) => observations.push(observe(answer)),
  });
  // Let a refresh that started at the very end land (its version then shows in a last get).
  let originRequests = 0;
  let latest = seeded;
  const seen = new Set(observations.filter((o) => o.ok).map((o) => o.version));
  for (const deadline = Date.now() + 3_000; Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, originLatencyMs));
    originRequests = (await env.origin.total(key)) - originBefore;
    latest = await env.api.query<{ version: number }>("get", { namespace, key });
    if (new Set([...seen, seeded.version, latest.version]).size - 1 >= originRequests) break;
  }
  const versions = new Set([...seen, seeded.version, latest.version]);
  const refreshes = versions.size - 1;
  const refreshesAt = (await env.origin.arrivals(key)).slice(originBefore);
  const windows = refreshWindows(observations, refreshesAt, seeded.version, originLatencyMs);
  const ok = observations.filter((o) => o.ok);
  const during = ok.filter((o) => windows.some(([from, to]) => o.start <= to && o.end >= from));
  const duringSet = new Set(during);
  const steady = ok.filter((o) => !duringSet.has(o));
  const staleAnswers = ok.filter((o) => o.state === "stale").length;
  const freshWindows = (load.seconds * 1_000) / freshMs;
  return {
    requests: ok.length,
    staleAnswers,
    staleShare: ok.length === 0 ? Number.NaN : staleAnswers / ok.length,
    refreshes,
    originRequests,
    originPerRefresh: refreshes === 0 ? Number.NaN : originRequests / refreshes,
    freshWindows,
    originPerFreshWindow: originRequests / freshWindows,
    duringRefresh: during.length,
    p99During: percentile(
      during.map((o) => o.latencyMs),
      99,
    ),
    p99Steady: percentile(
      steady.map((o) => o.latencyMs),
      99,
    ),
    failedRequests: load.non2xx + load.errors,
  };
}

function observe(answer: Answer): Observation {
  const state = /"state":"(\w+)"/.exec(answer.body)?.[1] ?? "";
  const version = Number(/"version":(\d+)/.exec(answer.body)?.[1] ?? Number.NaN);
  return {
    start: answer.at - answer.latencyMs,
    end: answer.at,
    latencyMs: answer.latencyMs,
    state,
    version,
    ok: answer.status === 200 && Number.isFinite(version),
  };
}

/**
 * [from, to] of each refresh: from the origin receiving it to the first answer that carries a
 * newer version than any answer before it (or, if none does, the origin's latency later).
 */
function refreshWindows(
  observations: readonly Observation[],
  refreshesAt: readonly number[],
  seedVersion: number,
  originLatencyMs: number,
): [number, number][] {
  const ok = observations.filter((o) => o.ok);
  return refreshesAt.map((from) => {
    let before = seedVersion;
    for (const o of ok) if (o.end < from) before = Math.max(before, o.version);
    const newer = ok.find((o) => o.end >= from && o.version > before);
    return [from, newer?.end ?? from + originLatencyMs];
  });
}
