/**
 * The model checked against a bench run (bench/baseline.json: one run's results.json). It is fed
 * one measured number, the per-object throughput (the DO floor: a Worker route making one Durable
 * Object call, what any request through an object costs here), and predicts:
 *
 * - the hot key at 10 connections: 10 clients looping on one object (closed queue);
 * - the hot key with the micro-cache on: no object in the path, so the Worker's own ceiling (the
 *   bare route) in place of the object's;
 * - the thundering herd: N readers of one cold key, one origin load, every request through the
 *   one object, first come first served.
 */
import { mulberry32 } from "../zipf.ts";
import { closedLoop, herdLatencies, percentileOf } from "./queues.ts";

export interface BenchComparison {
  scenario: string;
  figure: string;
  measured: number;
  predicted: number;
  unit: "req/s" | "ms";
  /** What the prediction was made from. */
  basis: string;
}

type Results = { scenarios?: { scenario?: string; figures?: Record<string, unknown> }[] };

/** A scenario's figures by name; a clear error naming what is missing when the run lacks one. */
export function benchFigures(results: unknown, scenarioPrefix: string, names: readonly string[]): Record<string, number> {
  const scenarios = (results as Results)?.scenarios;
  if (!Array.isArray(scenarios)) throw new Error("bench results: no scenarios[] (is this a bench/results.json?)");
  const scenario = scenarios.find((s) => typeof s.scenario === "string" && s.scenario.startsWith(scenarioPrefix));
  if (!scenario)
    throw new Error(
      `bench results: no scenario "${scenarioPrefix}…" (has: ${scenarios.map((s) => s.scenario).join(", ")}); run it with npm run bench`,
    );
  const figures: Record<string, number> = {};
  for (const name of names) {
    const value = scenario.figures?.[name];
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new Error(
        `bench results: scenario "${scenario.scenario}" has no numeric figure "${name}" (has: ${Object.keys(scenario.figures ?? {}).join(", ") || "none"})`,
      );
    }
    figures[name] = value;
  }
  return figures;
}

/** The bench's hot-key series run for 3 s at 10 connections; simulate as many requests as it did. */
const CLOSED_LOOP_REQUESTS = 20_000;

export function compareWithBench(results: unknown): BenchComparison[] {
  const hot = benchFigures(results, "hot-key hits", ["rps10", "floorRps10", "bareRps10", "microRps10"]);
  const herd = benchFigures(results, "thundering herd", ["readers", "originLatencyMs", "p50", "p99"]);
  const objectRps = hot.floorRps10!;
  const hotLoop = closedLoop({ clients: 10, serviceRate: objectRps, requests: CLOSED_LOOP_REQUESTS, random: mulberry32(1) });
  const microLoop = closedLoop({ clients: 10, serviceRate: hot.bareRps10!, requests: CLOSED_LOOP_REQUESTS, random: mulberry32(2) });
  const herdRun = herdLatencies({ readers: herd.readers!, serviceRate: objectRps, originLatencySeconds: herd.originLatencyMs! / 1_000 });
  const basis = `per-object throughput ${Math.round(objectRps)} req/s (DO floor)`;
  return [
    { scenario: "hot-key hits", figure: "rps10", measured: hot.rps10!, predicted: hotLoop.throughput, unit: "req/s", basis },
    {
      scenario: "hot-key hits",
      figure: "microRps10",
      measured: hot.microRps10!,
      predicted: microLoop.throughput,
      unit: "req/s",
      basis: `micro-cache: no object call, the Worker's ceiling (bare route ${Math.round(hot.bareRps10!)} req/s)`,
    },
    { scenario: "thundering herd", figure: "p50", measured: herd.p50!, predicted: percentileOf(herdRun, 50) * 1_000, unit: "ms", basis },
    { scenario: "thundering herd", figure: "p99", measured: herd.p99!, predicted: percentileOf(herdRun, 99) * 1_000, unit: "ms", basis },
  ];
}
