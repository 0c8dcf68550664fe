/**
 * Thundering herd: N readers at once (one connection each) on a cold key whose origin takes
 * 200 ms, through the tRPC `get` and through the read-through proxy (`/r`). The cache should call
 * the origin once per key; the no-cache proxy calls it N times.
 *
 * Each reader opens a fresh connection, which the DO floor's throughput (measured on kept-alive
 * connections) does not pay. So the same N fresh connections also go to the DO floor route in
 * every run: what the runtime needs to accept and answer them with no origin and no cache at all.
 * One unmeasured floor herd first warms the runtime's connection handling, as the other scenarios'
 * warm-ups do (the first herd of a fresh process is slow whatever it calls).
 */
import { CacheApi } from "../cache-api.ts";
import { runLoad, type LoadRun } from "../load.ts";
import { fmt, type ScenarioContext, type ScenarioResult } from "../scenario.ts";
import { medianOf } from "../stats.ts";
import type { Baselines } from "./hits.ts";

interface HerdRun {
  /** N fresh connections to the DO floor route (no origin, no cache): the transport's own herd. */
  floor: LoadRun;
  cache: LoadRun;
  /** The same herd on another cold key, through `GET /r/{namespace}/{key}`. */
  readThrough: LoadRun;
  proxy: LoadRun;
  originRequests: number;
  readThroughOriginRequests: number;
  proxyOriginRequests: number;
}

export async function herdScenario({ env, settings, log }: ScenarioContext, baselines: Baselines | undefined): Promise<ScenarioResult> {
  const { readers, originLatencyMs } = settings.herd;
  const herd = (path: string) => runLoad({ baseUrl: env.url, connections: readers, amount: readers, headers: env.authHeaders, path });
  const runs: HerdRun[] = [];
  await herd("/bench/do-floor");
  for (let run = 1; run <= settings.runs; run++) {
    const key = `herd-${run}-${Date.now()}`;
    const readKey = `herdr-${run}-${Date.now()}`;
    const proxyKey = `herdproxy-${run}-${Date.now()}`;
    for (const cold of [key, readKey, proxyKey]) await env.origin.behave({ key: cold, latencyMs: originLatencyMs });
    const floor = await herd("/bench/do-floor");
    const cache = await herd(CacheApi.getPath("herd", key));
    const readThrough = await herd(`/r/herd/${readKey}`);
    const proxy = await herd(`/bench/proxy/${proxyKey}`);
    runs.push({
      floor,
      cache,
      readThrough,
      proxy,
      originRequests: await env.origin.total(key),
      readThroughOriginRequests: await env.origin.total(readKey),
      proxyOriginRequests: await env.origin.total(proxyKey),
    });
    const last = runs.at(-1)!;
    log(
      `  run ${run}: ${last.originRequests} + ${last.readThroughOriginRequests} origin request(s); ` +
        `p99 get ${fmt.ms(cache.p99)}, /r ${fmt.ms(readThrough.p99)} (DO floor herd ${fmt.ms(floor.p99)}, proxy ${fmt.ms(proxy.p99)})`,
    );
  }
  // The time the DO floor needs to serve this many requests, at its 10-connection throughput.
  const floorMsForReaders = baselines ? (readers / baselines.floorRps10) * 1_000 : Number.NaN;
  const figures = {
    readers,
    originLatencyMs,
    originRequests: medianOf(runs, (r) => r.originRequests),
    maxOriginRequests: Math.max(...runs.map((r) => Math.max(r.originRequests, r.readThroughOriginRequests))),
    p50: medianOf(runs, (r) => r.cache.p50),
    p99: medianOf(runs, (r) => r.cache.p99),
    readThroughP50: medianOf(runs, (r) => r.readThrough.p50),
    readThroughP99: medianOf(runs, (r) => r.readThrough.p99),
    floorHerdP50: medianOf(runs, (r) => r.floor.p50),
    floorHerdP99: medianOf(runs, (r) => r.floor.p99),
    proxyOriginRequests: medianOf(runs, (r) => r.proxyOriginRequests),
    proxyP50: medianOf(runs, (r) => r.proxy.p50),
    proxyP99: medianOf(runs, (r) => r.proxy.p99),
    floorMsForReaders,
    p99Budget: originLatencyMs + floorMsForReaders,
    failedRequests: runs.reduce(
      (sum, r) => sum + [r.floor, r.cache, r.readThrough, r.proxy].reduce((s, load) => s + load.non2xx + load.errors, 0),
      0,
    ),
  };
  return {
    scenario: `thundering herd (${readers.toLocaleString("en-US")} readers)`,
    status: "ok",
    figures,
    runs,
    rows: [
      {
        figure: "origin requests",
        value: fmt.int(figures.maxOriginRequests),
        baseline: `per key, tRPC get and /r alike; no-cache proxy: ${fmt.int(figures.proxyOriginRequests)}`,
        target: "exactly 1",
        met: figures.maxOriginRequests === 1,
      },
      {
        figure: "tRPC get: p50 / p99",
        value: `${fmt.ms(figures.p50)} / ${fmt.ms(figures.p99)}`,
        baseline: `no-cache proxy ${fmt.ms(figures.proxyP50)} / ${fmt.ms(figures.proxyP99)}; DO floor herd (fresh connections, no origin) ${fmt.ms(figures.floorHerdP50)} / ${fmt.ms(figures.floorHerdP99)}`,
        target: `p99 ≤ origin ${originLatencyMs} ms + DO floor for ${readers} req (${fmt.ms(floorMsForReaders)}) = ${fmt.ms(figures.p99Budget)}`,
        met: figures.p99 <= figures.p99Budget,
      },
      {
        figure: "/r: p50 / p99",
        value: `${fmt.ms(figures.readThroughP50)} / ${fmt.ms(figures.readThroughP99)}`,
        baseline: `no-cache proxy ${fmt.ms(figures.proxyP50)} / ${fmt.ms(figures.proxyP99)}`,
        target: `p99 ≤ ${fmt.ms(figures.p99Budget)} (same budget)`,
        met: figures.readThroughP99 <= figures.p99Budget,
      },
    ],
  };
}
