/**
 * Write-behind: 10,000 `set`s over 1,000 keys into a namespace whose writes go behind to an http
 * sink, then one admin `flush`; rows and batches that reach the sink, and the ack latency against
 * the same load of plain `set`s (a namespace without write-behind). The 10,000 writes are sent in
 * `runs` rounds, each a share of the writes behind and then the same share of plain sets, so the
 * two are interleaved and the latency figures are medians of rounds — while the sink figures
 * cover all 10,000 writes at once, as the scenario is defined (writes are ~40 % of the bench's
 * time otherwise: 10,000 per run and per baseline).
 */
import type { FlushResult, NamespaceStats } from "@cache-sync/contracts";
import { CallError } from "../cache-api.ts";
import { runLoad, type LoadRun } from "../load.ts";
import { fmt, type ScenarioContext, type ScenarioResult } from "../scenario.ts";
import { medianOf } from "../stats.ts";

const SCENARIO = "write-behind";

interface WriteBehindRound {
  behind: LoadRun;
  plain: LoadRun;
}

export async function writeBehindScenario({ env, settings, log }: ScenarioContext): Promise<ScenarioResult> {
  const { writes, keys } = settings.writeBehind;
  const unavailable = await probe(env.api.mutate.bind(env.api));
  if (unavailable) {
    log(`  not available: ${unavailable}`);
    return { scenario: SCENARIO, status: "not available", reason: unavailable, figures: {}, runs: [], rows: [] };
  }
  await flushAll(env.api.mutate.bind(env.api));

  let n = 0; // across rounds, so the writes cycle through the keys as one sequence of `writes`
  const load = (namespace: string, amount: number) => {
    return runLoad({
      baseUrl: env.url,
      connections: 10,
      amount,
      method: "POST",
      headers: { ...env.authHeaders, "content-type": "application/json" },
      path: "/trpc/set",
      body: () => {
        n++;
        return JSON.stringify({ namespace, key: `w${n % keys}`, value: { n, note: "a write that goes behind" } });
      },
    });
  };
  const runs: WriteBehindRound[] = [];
  const before = env.sink.counts();
  const share = Math.ceil(writes / settings.runs);
  for (let run = 1; run <= settings.runs; run++) {
    const amount = Math.min(share, writes - share * (run - 1));
    const behind = await load("wb", amount);
    const plain = await load("plain", amount);
    runs.push({ behind, plain });
    log(`  round ${run}: ${amount} writes behind, ack p99 ${fmt.ms(behind.p99)} (plain set ${fmt.ms(plain.p99)})`);
  }
  const flushStarted = performance.now();
  await flushAll(env.api.mutate.bind(env.api));
  const flushMs = performance.now() - flushStarted;
  const after = env.sink.counts();
  const sink = { rows: after.rows - before.rows, batches: after.batches - before.batches };
  log(`  ${writes} writes → ${sink.rows} rows in ${sink.batches} batches`);
  const stats = await env.api.query<NamespaceStats>("stats", { namespace: "wb" });
  const figures = {
    writes,
    keys,
    sinkRows: sink.rows,
    sinkBatches: sink.batches,
    flushMs,
    ackRps: medianOf(runs, (r) => r.behind.rps),
    ackP50: medianOf(runs, (r) => r.behind.p50),
    ackP99: medianOf(runs, (r) => r.behind.p99),
    plainRps: medianOf(runs, (r) => r.plain.rps),
    plainP50: medianOf(runs, (r) => r.plain.p50),
    plainP99: medianOf(runs, (r) => r.plain.p99),
    p99Ratio: 0,
    pendingAfterFlush: stats.writeBehind.pending,
    repeatedBatches: env.sink.counts().repeatedBatches,
    failedRequests: runs.reduce((sum, r) => sum + r.behind.non2xx + r.behind.errors + r.plain.non2xx + r.plain.errors, 0),
  };
  figures.p99Ratio = figures.ackP99 / figures.plainP99;
  return {
    scenario: `${SCENARIO} (${writes.toLocaleString("en-US")} writes, ${keys.toLocaleString("en-US")} keys)`,
    status: "ok",
    figures,
    runs,
    rows: [
      {
        figure: "sink rows / batches",
        value: `${fmt.int(figures.sinkRows)} / ${fmt.int(figures.sinkBatches)}`,
        baseline: `vs ${fmt.int(writes)} writes; flush took ${fmt.ms(figures.flushMs)}`,
        target: `≤ ${fmt.int(writes / 10)} rows`,
        met: figures.sinkRows <= writes / 10,
      },
      {
        figure: "ack p50 / p99",
        value: `${fmt.ms(figures.ackP50)} / ${fmt.ms(figures.ackP99)}`,
        baseline: `plain set ${fmt.ms(figures.plainP50)} / ${fmt.ms(figures.plainP99)} (p99 ${fmt.times(figures.p99Ratio)})`,
        target: "p99 ≤ 1.2× plain set",
        met: figures.p99Ratio <= 1.2,
      },
    ],
  };
}

type Mutate = <T>(procedure: string, input: unknown) => Promise<T>;

/** Why write-behind cannot be measured in this build (undefined: it can). */
async function probe(mutate: Mutate): Promise<string | undefined> {
  try {
    await mutate("set", { namespace: "wb", key: "probe", value: 1 });
    await mutate<FlushResult>("flush", { namespace: "wb" });
    return undefined;
  } catch (error) {
    if (error instanceof CallError && error.code === "NOT_IMPLEMENTED") return `${error.code}: ${error.message}`;
    throw error;
  }
}

/** `flush` until nothing is pending (a flush sends at most what was pending when it started). */
async function flushAll(mutate: Mutate): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const { pending } = await mutate<FlushResult>("flush", { namespace: "wb" });
    if (pending === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("write-behind flush still had pending writes after 100 flushes");
}
