/**
 * Stale under load: 10 connections read one origin-backed key for several freshness periods.
 * Each time it goes stale (or is refreshed ahead of that), callers should keep getting the cached
 * copy at hit latency while one background refresh runs. A refresh window opens when the origin
 * receives the refresh request and closes with the first answer carrying the newer version;
 * answers in flight during a window are compared with the others (steady).
 */
import { CacheApi } from "../cache-api.ts";
import { runLoad, type Answer } from "../load.ts";
import { fmt, type ScenarioContext, type ScenarioResult } from "../scenario.ts";
import { medianOf, percentile } from "../stats.ts";

interface StaleRun {
  requests: number;
  refreshes: number;
  originRequests: number;
  originPerRefresh: number;
  duringRefresh: number;
  staleAnswers: number;
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

export async function staleScenario({ env, settings, log }: ScenarioContext): Promise<ScenarioResult> {
  const { seconds, freshMs, originLatencyMs } = settings.stale;
  const runs: StaleRun[] = [];
  for (let run = 1; run <= settings.runs; run++) {
    const key = `stale-${run}-${Date.now()}`;
    await env.origin.behave({ key, latencyMs: originLatencyMs });
    const seeded = await env.api.query<{ version: number }>("get", { namespace: "stale", key });
    const originBefore = await env.origin.total(key);
    const observations: Observation[] = [];
    const load = await runLoad({
      baseUrl: env.url,
      connections: 10,
      seconds,
      headers: env.authHeaders,
      path: CacheApi.getPath("stale", key),
      onAnswer: (answer) => observations.push(observe(answer)),
    });
    // Let a refresh that started at the very end land (its version then shows in a last get).
    let originRequests = 0;
    let latest = seeded;
    const seen = new Set(observations.filter((o) => o.ok).map((o) => o.version));
    for (const deadline = Date.now() + 3_000; Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, originLatencyMs));
      originRequests = (await env.origin.total(key)) - originBefore;
      latest = await env.api.query<{ version: number }>("get", { namespace: "stale", key });
      if (new Set([...seen, seeded.version, latest.version]).size - 1 >= originRequests) break;
    }
    const versions = new Set([...seen, seeded.version, latest.version]);
    const refreshes = versions.size - 1;
    const refreshesAt = (await env.origin.arrivals(key)).slice(originBefore);
    const windows = refreshWindows(observations, refreshesAt, seeded.version, originLatencyMs);
    const during = observations.filter((o) => o.ok && windows.some(([from, to]) => o.start <= to && o.end >= from));
    const duringSet = new Set(during);
    const steady = observations.filter((o) => o.ok && !duringSet.has(o));
    runs.push({
      requests: load.requests,
      refreshes,
      originRequests,
      originPerRefresh: refreshes === 0 ? Number.NaN : originRequests / refreshes,
      duringRefresh: during.length,
      staleAnswers: observations.filter((o) => o.state === "stale").length,
      p99During: percentile(during.map((o) => o.latencyMs), 99),
      p99Steady: percentile(steady.map((o) => o.latencyMs), 99),
      failedRequests: load.non2xx + load.errors,
    });
    const last = runs.at(-1)!;
    log(`  run ${run}: ${refreshes} refreshes, ${originRequests} origin requests; p99 during refresh ${fmt.ms(last.p99During)} (${during.length} req), steady ${fmt.ms(last.p99Steady)}`);
  }
  const figures = {
    freshMs,
    originLatencyMs,
    refreshes: medianOf(runs, (r) => r.refreshes),
    originRequests: medianOf(runs, (r) => r.originRequests),
    originPerRefresh: medianOf(runs, (r) => r.originPerRefresh),
    maxOriginPerRefresh: Math.max(...runs.map((r) => r.originPerRefresh)),
    requestsDuringRefresh: medianOf(runs, (r) => r.duringRefresh),
    staleAnswers: medianOf(runs, (r) => r.staleAnswers),
    p99DuringRefresh: medianOf(runs, (r) => r.p99During),
    p99Steady: medianOf(runs, (r) => r.p99Steady),
    p99Ratio: 0,
    failedRequests: runs.reduce((sum, r) => sum + r.failedRequests, 0),
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
        baseline: `${fmt.int(figures.originRequests)} requests for ${fmt.int(figures.refreshes)} refreshes (fresh ${freshMs} ms, origin ${originLatencyMs} ms)`,
        target: "1",
        met: figures.maxOriginPerRefresh === 1,
      },
      {
        figure: "p99 during refresh",
        value: fmt.ms(figures.p99DuringRefresh),
        baseline: `${fmt.times(figures.p99Ratio)} steady p99 (${fmt.ms(figures.p99Steady)}); ${fmt.int(figures.requestsDuringRefresh)} requests in refresh windows, ${fmt.int(figures.staleAnswers)} answered stale`,
        target: "≤ 1.5× steady p99",
        met: figures.p99Ratio <= 1.5,
      },
    ],
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
function refreshWindows(observations: readonly Observation[], refreshesAt: readonly number[], seedVersion: number, originLatencyMs: number): [number, number][] {
  const ok = observations.filter((o) => o.ok);
  return refreshesAt.map((from) => {
    let before = seedVersion;
    for (const o of ok) if (o.end < from) before = Math.max(before, o.version);
    const newer = ok.find((o) => o.end >= from && o.version > before);
    return [from, newer?.end ?? from + originLatencyMs];
  });
}
