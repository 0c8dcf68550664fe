/**
 * Thundering herd: N readers at once (one connection each) on a cold key whose origin takes
 * 200 ms. The cache should call the origin once; the no-cache proxy calls it N times.
 */
import { CacheApi } from "../cache-api.ts";
import { runLoad, type LoadRun } from "../load.ts";
import { fmt, type ScenarioContext, type ScenarioResult } from "../scenario.ts";
import { medianOf } from "../stats.ts";
import type { Baselines } from "./hits.ts";

interface HerdRun {
  cache: LoadRun;
  proxy: LoadRun;
  originRequests: number;
  proxyOriginRequests: number;
}

export async function herdScenario({ env, settings, log }: ScenarioContext, baselines: Baselines | undefined): Promise<ScenarioResult> {
  const { readers, originLatencyMs } = settings.herd;
  const herd = (path: string) => runLoad({ baseUrl: env.url, connections: readers, amount: readers, headers: env.authHeaders, path });
  const runs: HerdRun[] = [];
  for (let run = 1; run <= settings.runs; run++) {
    const key = `herd-${run}-${Date.now()}`;
    const proxyKey = `herdproxy-${run}-${Date.now()}`;
    await env.origin.behave({ key, latencyMs: originLatencyMs });
    await env.origin.behave({ key: proxyKey, latencyMs: originLatencyMs });
    const cache = await herd(CacheApi.getPath("herd", key));
    const proxy = await herd(`/bench/proxy/${proxyKey}`);
    runs.push({ cache, proxy, originRequests: await env.origin.total(key), proxyOriginRequests: await env.origin.total(proxyKey) });
    log(`  run ${run}: ${runs.at(-1)!.originRequests} origin request(s); p99 ${fmt.ms(cache.p99)} (proxy ${fmt.ms(proxy.p99)})`);
  }
  // The time the DO floor needs to serve this many requests, at its 10-connection throughput.
  const floorMsForReaders = baselines ? (readers / baselines.floorRps10) * 1_000 : Number.NaN;
  const figures = {
    readers,
    originLatencyMs,
    originRequests: medianOf(runs, (r) => r.originRequests),
    maxOriginRequests: Math.max(...runs.map((r) => r.originRequests)),
    p50: medianOf(runs, (r) => r.cache.p50),
    p99: medianOf(runs, (r) => r.cache.p99),
    proxyOriginRequests: medianOf(runs, (r) => r.proxyOriginRequests),
    proxyP50: medianOf(runs, (r) => r.proxy.p50),
    proxyP99: medianOf(runs, (r) => r.proxy.p99),
    floorMsForReaders,
    p99Budget: originLatencyMs + floorMsForReaders,
    failedRequests: runs.reduce((sum, r) => sum + r.cache.non2xx + r.cache.errors + r.proxy.non2xx + r.proxy.errors, 0),
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
        baseline: `no-cache proxy: ${fmt.int(figures.proxyOriginRequests)}`,
        target: "exactly 1",
        met: figures.maxOriginRequests === 1,
      },
      {
        figure: "p99",
        value: fmt.ms(figures.p99),
        baseline: `no-cache proxy ${fmt.ms(figures.proxyP99)}`,
        target: `≤ origin ${originLatencyMs} ms + DO floor for ${readers} req (${fmt.ms(floorMsForReaders)}) = ${fmt.ms(figures.p99Budget)}`,
        met: figures.p99 <= figures.p99Budget,
      },
    ],
  };
}
