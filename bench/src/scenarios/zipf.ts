/**
 * Zipf traffic: s = 1.0 over 100,000 keys, origin 50 ms, 10 connections, starting cold. Runs
 * follow each other on the same namespace, so the cache warms as it would in production; the
 * no-cache proxy gets the same key sequence between them.
 *
 * A key's first request must go to the origin (a compulsory miss), so the best possible hit
 * rate of a finite run is 1 − distinct keys / requests: reported beside the measured one.
 */
import { CacheApi } from "../cache-api.ts";
import { runLoad, type LoadRun } from "../load.ts";
import { fmt, type ScenarioContext, type ScenarioResult } from "../scenario.ts";
import { medianOf } from "../stats.ts";
import { zipfSampler } from "../zipf.ts";

interface ZipfRun {
  cache: LoadRun;
  proxy: LoadRun;
  sent: number;
  newKeys: number;
  originRequests: number;
  hitRate: number;
  idealHitRate: number;
}

export async function zipfScenario({ env, settings, log }: ScenarioContext): Promise<ScenarioResult> {
  const { keys, s, seconds, proxySeconds, originLatencyMs } = settings.zipf;
  const sampler = zipfSampler({ n: keys, s, seed: 20_240_101 });
  const cachePaths = new Map<number, string>();
  const seen = new Set<number>();
  let sent = 0;
  let newKeys = 0;
  const cachePath = () => {
    const rank = sampler.next();
    sent++;
    if (!seen.has(rank)) {
      seen.add(rank);
      newKeys++;
    }
    let path = cachePaths.get(rank);
    if (path === undefined) cachePaths.set(rank, (path = CacheApi.getPath("zipf", `z-${rank}`)));
    return path;
  };
  const proxyPath = () => `/bench/proxy/zp-${sampler.next()}`;
  // Every key of the scenario gets the default behaviour: set it, and put it back afterwards.
  await env.origin.behave({ latencyMs: originLatencyMs });
  const runs: ZipfRun[] = [];
  try {
    for (let run = 1; run <= settings.runs; run++) {
      const proxy = await runLoad({ baseUrl: env.url, connections: 10, seconds: proxySeconds, headers: env.authHeaders, path: proxyPath });
      const originBefore = await env.origin.total("z-");
      sent = 0;
      newKeys = 0;
      const cache = await runLoad({ baseUrl: env.url, connections: 10, seconds, headers: env.authHeaders, path: cachePath });
      const originRequests = (await env.origin.total("z-")) - originBefore;
      runs.push({
        cache,
        proxy,
        sent,
        newKeys,
        originRequests,
        hitRate: 1 - originRequests / cache.requests,
        idealHitRate: 1 - newKeys / sent,
      });
      log(
        `  run ${run}: ${cache.requests} requests, hit rate ${fmt.pct(runs.at(-1)!.hitRate)} (ideal ${fmt.pct(runs.at(-1)!.idealHitRate)}), p50 ${fmt.ms(cache.p50)} (proxy ${fmt.ms(proxy.p50)})`,
      );
    }
  } finally {
    await env.origin.behave({});
  }
  const requests = runs.reduce((sum, r) => sum + r.cache.requests, 0);
  const totalSent = runs.reduce((sum, r) => sum + r.sent, 0);
  const originRequests = runs.reduce((sum, r) => sum + r.originRequests, 0);
  const last = runs.at(-1)!;
  const figures = {
    keys,
    s,
    originLatencyMs,
    requests,
    distinctKeys: seen.size,
    originRequests,
    originPerDistinctKey: originRequests / seen.size,
    hitRate: 1 - originRequests / requests,
    idealHitRate: 1 - seen.size / totalSent,
    hitRateLastRun: last.hitRate,
    idealHitRateLastRun: last.idealHitRate,
    rps: medianOf(runs, (r) => r.cache.rps),
    p50: medianOf(runs, (r) => r.cache.p50),
    p99: medianOf(runs, (r) => r.cache.p99),
    proxyP50: medianOf(runs, (r) => r.proxy.p50),
    proxyP99: medianOf(runs, (r) => r.proxy.p99),
    p50RatioToProxy: 0,
    failedRequests: runs.reduce((sum, r) => sum + r.cache.non2xx + r.cache.errors + r.proxy.non2xx + r.proxy.errors, 0),
  };
  figures.p50RatioToProxy = figures.p50 / figures.proxyP50;
  return {
    scenario: `Zipf traffic (s = ${s}, ${keys.toLocaleString("en-US")} keys)`,
    status: "ok",
    figures,
    runs: runs.map(({ cache, proxy, ...rest }) => ({ ...rest, cache, proxy })),
    rows: [
      {
        figure: `hit rate, last of ${runs.length} run(s)`,
        value: fmt.pct(figures.hitRateLastRun),
        baseline: `best possible for its keys ${fmt.pct(figures.idealHitRateLastRun)}; whole scenario ${fmt.pct(figures.hitRate)} (best ${fmt.pct(figures.idealHitRate)}) over ${fmt.int(requests)} requests`,
        target: "≥ 90 %",
        met: figures.hitRateLastRun >= 0.9,
      },
      {
        figure: "origin requests vs distinct keys",
        value: `${fmt.int(originRequests)} vs ${fmt.int(seen.size)}`,
        baseline: `${figures.originPerDistinctKey.toFixed(2)} per key`,
      },
      {
        figure: "p50 / p99",
        value: `${fmt.ms(figures.p50)} / ${fmt.ms(figures.p99)}`,
        baseline: `no-cache proxy ${fmt.ms(figures.proxyP50)} / ${fmt.ms(figures.proxyP99)} (p50 ${fmt.times(figures.p50RatioToProxy)})`,
      },
    ],
  };
}
