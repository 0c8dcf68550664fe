/** Text the simulation prints: one deployment in detail, the tiers compared, the bench comparison. */
import type { BenchComparison } from "./bench-prediction.ts";
import type { PlanResult } from "./plan.ts";
import { PLATFORM } from "./platform-limits.ts";

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const num = (n: number) => (Math.abs(n) >= 100 ? int(n) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const pct = (share: number) => `${share >= 10 ? int(share * 100) : (share * 100).toFixed(share < 0.1 ? 2 : 1)} %`;
const ms = (seconds: number) => (Number.isFinite(seconds) ? `${num(seconds * 1_000)} ms` : "unbounded (overloaded)");
const bytes = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(1)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${int(n / 1e3)} kB`);
const count = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} M` : int(n));
const duration = (milliseconds: number) => (milliseconds >= 10_000 ? `${(milliseconds / 1_000).toFixed(1)} s` : `${int(milliseconds)} ms`);

export interface Scenario {
  readRate: number;
  keys: number;
  s: number;
  valueBytes: number;
  objectRps: number;
  utilisation: number;
  tiers: string;
}

export function describeScenario(scenario: Scenario): string[] {
  const planned = scenario.objectRps * scenario.utilisation;
  const source = scenario.objectRps === PLATFORM.objectRequestsPerSecond ? " (the platform's soft limit per object)" : "";
  return [
    `Capacity model: ${int(scenario.readRate)} reads/s over ${int(scenario.keys)} keys, Zipf s = ${scenario.s}, values ${int(scenario.valueBytes)} B`,
    `  object: ${int(scenario.objectRps)} req/s${source}, planned up to ${pct(scenario.utilisation)} → ${int(planned)} req/s per shard`,
    `  tiers: ${scenario.tiers}`,
  ];
}

export function describePlan(result: PlanResult, scenario: Scenario, extras: { taggedKeys: number; concurrency: number }): string[] {
  const { hottestKey, load } = result;
  const lines = [
    `hottest key      ${pct(hottestKey.share)} of reads = ${num(hottestKey.rate)} req/s; ${num(hottestKey.atShard)} req/s reach its shard`,
    `at the shards    ${int(result.atShards)} req/s (${pct(result.atShards / scenario.readRate)} of reads; the tiers answer the rest)`,
    `shards needed    by rate ${int(result.shardsByRate)}, by storage ${int(result.shardsByStorage)} → ${recommendation(result)}`,
    `per-shard load   at ${int(result.shards)} shards, req/s: min ${num(load.min)}, p50 ${num(load.p50)}, mean ${num(load.mean)}, p99 ${num(load.p99)}, max ${num(load.max)}`,
    `hottest object   ${num(load.max)} req/s = ${pct(result.hottestUtilisation)} of ${int(scenario.objectRps)} req/s; p99 queueing delay ${ms(result.hottestP99Delay)} (all objects: ${ms(result.allP99Delay)})`,
    `storage          working set ${count(result.workingSetKeys)} keys, ${bytes(result.storagePerShardBytes)} per shard (limit ${bytes(PLATFORM.objectStorageBytes)} per object)`,
    `memory tier      ${pct(result.memoryShare)} of the shards' reads hit the shards' memory tiers (the rest read SQLite in the object)`,
    `fan-out          invalidating ${int(extras.taggedKeys)} tagged keys over ${int(result.shards)} shards, concurrency ${extras.concurrency}: ${duration(result.fanOutMs)}`,
  ];
  if (result.d1) {
    const verdict = result.d1.utilisation > 1 ? " — over: lengthen flushIntervalMs, or use an http sink" : "";
    lines.push(
      `D1 write-behind  ${int(result.d1.rowsPerSecond)} rows/s after coalescing, of ~${int(result.d1.capacity)} rows/s one database absorbs (${pct(result.d1.utilisation)})${verdict}`,
    );
  }
  return lines;
}

/** "recommended 749", with what the hot keys need, or why no count up to the maximum will do. */
function recommendation(result: PlanResult): string {
  const hot =
    result.hotKeys > 0
      ? `; ${int(result.hotKeys)} hot key(s), each over half an object's plan: a tier in front is their answer (README, Capacity)`
      : "";
  if (!result.reachable)
    return `none up to ${int(result.recommendedShards)} keeps every object under its plan (shown at ${int(result.shards)})${hot}`;
  return `recommended ${int(result.recommendedShards)}${result.hotKeys > 0 ? " for the other keys" : ""}${hot}`;
}

export interface TierRow {
  label: string;
  result: PlanResult;
}

export function tierTable(rows: TierRow[], concurrency: number): string[] {
  const header = [
    "| in front of the shards | reads reaching shards | hottest key at its shard | recommended shards | hottest object | p99 queueing delay | invalidation fan-out |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  return [
    ...header,
    ...rows.map(({ label, result }) => {
      const hot = result.hotKeys > 0 ? `${int(result.hotKeys)} hot key(s) need a tier` : "";
      const shards = result.reachable
        ? `${int(result.recommendedShards)}${hot ? ` + ${hot}` : ""}`
        : `none ≤ ${int(result.recommendedShards)} (by rate alone ${int(result.shardsByRate)}${hot ? `; ${hot}` : ""})`;
      const hottest = `${pct(result.hottestUtilisation)}${result.reachable ? "" : ` at ${int(result.shards)} shards`}`;
      return `| ${label} | ${int(result.atShards)} req/s | ${num(result.hottestKey.atShard)} req/s | ${shards} | ${hottest} | ${ms(result.hottestP99Delay)} | ${duration(result.fanOutMs)} (concurrency ${concurrency}) |`;
    }),
  ];
}

export function benchTable(comparisons: BenchComparison[]): string[] {
  return [
    "| scenario | figure | measured | model | model ÷ measured | model fed |",
    "| --- | --- | --- | --- | --- | --- |",
    ...comparisons.map(
      (c) =>
        `| ${c.scenario} | ${c.figure} | ${num(c.measured)} ${c.unit} | ${num(c.predicted)} ${c.unit} | ${(c.predicted / c.measured).toFixed(2)} | ${c.basis} |`,
    ),
  ];
}
