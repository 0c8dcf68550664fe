/**
 * Invalidation: one tag over 10,000 keys spread across 16 shards; the time from the `invalidate`
 * call to the first `status` poll that answers `completed` (and the coordinator's own
 * createdAt → finishedAt). Keys are seeded with batched `set`s before each run.
 */
import type { InvalidationStatus } from "@cache-sync/contracts";
import { fmt, type ScenarioContext, type ScenarioResult } from "../scenario.ts";
import { medianOf } from "../stats.ts";

const POLL_MS = 5;

interface InvalidationRun {
  seedMs: number;
  wallMs: number;
  serverMs: number;
  invalidatedKeys: number;
  state: string;
  survivorsFound: number;
}

export async function invalidationScenario({ env, settings, log }: ScenarioContext): Promise<ScenarioResult> {
  const { keys, shards } = settings.invalidation;
  const namespace = "inval";
  const runs: InvalidationRun[] = [];
  for (let run = 1; run <= settings.runs; run++) {
    const tag = `t${run}`;
    const seedStarted = performance.now();
    await env.api.setMany(Array.from({ length: keys }, (_, i) => ({ namespace, key: `i${run}-${i}`, value: { i }, tags: [tag] })));
    const seedMs = performance.now() - seedStarted;

    const started = performance.now();
    let status = await env.api.mutate<InvalidationStatus>("invalidate", { namespace, tags: [tag] });
    while (status.state === "queued" || status.state === "processing") {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      status = await env.api.query<InvalidationStatus>("status", { namespace, id: status.id });
    }
    const wallMs = performance.now() - started;
    // A few keys must now be gone.
    const probes = await Promise.all(
      [0, Math.floor(keys / 2), keys - 1].map((i) => env.api.query<{ found: boolean }>("get", { namespace, key: `i${run}-${i}` })),
    );
    runs.push({
      seedMs,
      wallMs,
      serverMs: (status.finishedAt ?? Number.NaN) - status.createdAt,
      invalidatedKeys: status.invalidatedKeys,
      state: status.state,
      survivorsFound: probes.filter((p) => p.found).length,
    });
    log(
      `  run ${run}: ${status.state} in ${fmt.ms(wallMs)} (server ${fmt.ms(runs.at(-1)!.serverMs)}), ${status.invalidatedKeys} keys; seeding took ${fmt.ms(seedMs)}`,
    );
  }
  if (runs.some((r) => r.state !== "completed")) throw new Error(`an invalidation job ended ${runs.map((r) => r.state).join(", ")}`);
  const figures = {
    keys,
    shards,
    msToCompleted: medianOf(runs, (r) => r.wallMs),
    serverMs: medianOf(runs, (r) => r.serverMs),
    invalidatedKeys: medianOf(runs, (r) => r.invalidatedKeys),
    seedMs: medianOf(runs, (r) => r.seedMs),
    seedWritesPerSecond: medianOf(runs, (r) => keys / (r.seedMs / 1_000)),
    survivorsFound: runs.reduce((sum, r) => sum + r.survivorsFound, 0),
  };
  return {
    scenario: `invalidation (1 tag, ${keys.toLocaleString("en-US")} keys, ${shards} shards)`,
    status: "ok",
    figures,
    runs,
    rows: [
      {
        figure: "ms to completed",
        value: fmt.ms(figures.msToCompleted),
        baseline: `coordinator createdAt→finishedAt ${fmt.ms(figures.serverMs)}; ${fmt.int(figures.invalidatedKeys)} keys invalidated; seeding ${fmt.int(figures.seedWritesPerSecond)} sets/s`,
        target: "< 1 s",
        met: figures.msToCompleted < 1_000,
      },
    ],
  };
}
