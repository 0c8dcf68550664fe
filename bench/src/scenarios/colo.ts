/**
 * The colo tier (issue 17): a public hot key read anonymously through `/r`, answered by the
 * colo tier (`coloTier: "cache-api"` under `wrangler dev`: the Workers Cache API, no Durable Object
 * call) against the same key in a public namespace whose answers no shared cache may keep
 * (`httpCache.sharedMaxAgeMs: 0`: every read reaches its shard). Then how stale a read can be after
 * an invalidation: a reader polls the key while its origin value changes and `invalidate { tags }`
 * runs; the figures are how many old answers arrived after the job completed (the promise: none)
 * and how long after `invalidate` was accepted the new value was first read.
 */
import type { InvalidationStatus } from "@cache-sync/contracts";
import { runLoad, type LoadRun } from "../load.ts";
import { fmt, type ScenarioContext, type ScenarioResult } from "../scenario.ts";
import { medianOf } from "../stats.ts";

interface ColoRun {
  tier: LoadRun;
  shard: LoadRun;
  /** ms from `invalidate` sent to the first read of the new value. */
  newValueAfterMs: number;
  /** ms from `invalidate` sent to the job's first `completed` poll. */
  completedAfterMs: number;
  /** Reads sent after the job was seen completed that still answered the old value. */
  oldAfterCompleted: number;
}

export async function coloScenario({ env, settings, log }: ScenarioContext): Promise<ScenarioResult> {
  const seconds = settings.hits.seconds;
  const load = (path: string) => runLoad({ baseUrl: env.url, connections: 10, seconds, path });
  const runs: ColoRun[] = [];
  for (let run = 1; run <= settings.runs; run++) {
    const key = `colo-${run}-${Date.now()}`;
    await env.origin.behave({ key, value: { v: 1 }, tags: [key] });
    await untilFromTier(env.url, `/r/colo/${key}`);
    await fetch(`${env.url}/r/coloshard/${key}`).then((r) => r.text());
    await runLoad({ baseUrl: env.url, connections: 10, seconds: settings.warmupSeconds, path: `/r/colo/${key}` });
    const tier = await load(`/r/colo/${key}`);
    const shard = await load(`/r/coloshard/${key}`);
    runs.push({ tier, shard, ...(await stalenessAfterInvalidation(env, key)) });
    const last = runs.at(-1)!;
    log(
      `  run ${run}: colo tier ${fmt.rps(tier.rps)} vs shard ${fmt.rps(shard.rps)}; new value read ${fmt.ms(last.newValueAfterMs)} after invalidate ` +
        `(completed after ${fmt.ms(last.completedAfterMs)}), ${last.oldAfterCompleted} old answer(s) after completion`,
    );
  }
  const figures = {
    tierRps: medianOf(runs, (r) => r.tier.rps),
    tierP50: medianOf(runs, (r) => r.tier.p50),
    tierP99: medianOf(runs, (r) => r.tier.p99),
    shardRps: medianOf(runs, (r) => r.shard.rps),
    shardP50: medianOf(runs, (r) => r.shard.p50),
    shardP99: medianOf(runs, (r) => r.shard.p99),
    newValueAfterMs: medianOf(runs, (r) => r.newValueAfterMs),
    maxNewValueAfterMs: Math.max(...runs.map((r) => r.newValueAfterMs)),
    completedAfterMs: medianOf(runs, (r) => r.completedAfterMs),
    oldAfterCompleted: runs.reduce((sum, r) => sum + r.oldAfterCompleted, 0),
    failedRequests: runs.reduce((sum, r) => sum + r.tier.non2xx + r.tier.errors + r.shard.non2xx + r.shard.errors, 0),
  };
  return {
    scenario: "colo tier (public hot key, /r)",
    status: "ok",
    figures,
    runs,
    rows: [
      {
        figure: "10 conn: throughput, colo tier",
        value: fmt.rps(figures.tierRps),
        baseline: `${fmt.times(figures.tierRps / figures.shardRps)} the shard path (${fmt.rps(figures.shardRps)}, sharedMaxAgeMs 0)`,
      },
      {
        figure: "colo tier: p50 / p99",
        value: `${fmt.ms(figures.tierP50)} / ${fmt.ms(figures.tierP99)}`,
        baseline: `shard path ${fmt.ms(figures.shardP50)} / ${fmt.ms(figures.shardP99)}`,
      },
      {
        figure: "staleness after invalidate { tags }",
        value: `new value read ${fmt.ms(figures.newValueAfterMs)} after invalidate (max ${fmt.ms(figures.maxNewValueAfterMs)})`,
        baseline: `job completed (first poll) after ${fmt.ms(figures.completedAfterMs)}; old answers after completion: ${fmt.int(figures.oldAfterCompleted)}`,
        target: "no old answer once the job completed",
        met: figures.oldAfterCompleted === 0,
      },
    ],
  };
}

async function untilFromTier(baseUrl: string, path: string): Promise<void> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
    const response = await fetch(`${baseUrl}${path}`);
    await response.text();
    if (response.headers.get("x-colo-cache") === "HIT") return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${path} never came from the colo tier`);
}

/** One reader in a loop while the origin value changes and `invalidate { tags }` runs. */
async function stalenessAfterInvalidation(env: ScenarioContext["env"], key: string): Promise<Omit<ColoRun, "tier" | "shard">> {
  await env.origin.behave({ key, value: { v: 2 }, tags: [key] });
  const sentAt = performance.now();
  let completedAt: number | null = null;
  let newValueAt: number | null = null;
  let oldAfterCompleted = 0;
  const reader = (async () => {
    while (newValueAt === null && performance.now() - sentAt < 30_000) {
      const started = performance.now();
      const body = (await (await fetch(`${env.url}/r/colo/${key}`)).json()) as { v: number };
      if (body.v === 2) newValueAt ??= performance.now();
      else if (completedAt !== null && started > completedAt) oldAfterCompleted++;
    }
  })();
  let status = await env.api.mutate<InvalidationStatus>("invalidate", { namespace: "colo", tags: [key] });
  while (status.state === "queued" || status.state === "processing") {
    await new Promise((resolve) => setTimeout(resolve, 5));
    status = await env.api.query<InvalidationStatus>("status", { namespace: "colo", id: status.id });
  }
  completedAt = performance.now();
  if (status.state !== "completed") throw new Error(`the invalidation ended ${status.state}: ${status.errors.join("; ")}`);
  await reader;
  if (newValueAt === null) throw new Error("the new value was never read within 30 s");
  return { newValueAfterMs: newValueAt - sentAt, completedAfterMs: completedAt - sentAt, oldAfterCompleted };
}
