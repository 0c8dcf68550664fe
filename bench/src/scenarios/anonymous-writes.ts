/**
 * Hostile traffic: an anonymous caller may not write, so the size of what it sends must not
 * change what its refusal costs. Anonymous `set`s of a 1 MiB value (`[[],[],…]`, the shape that
 * was expensive to validate) and of a tiny one, one connection, 20 requests each: both are
 * refused 401 before the body is read, so their medians should be close (target ≤ 1.5×).
 *
 * Locally, `wrangler dev` receives a request's whole body before the Worker runs (a body sent
 * slowly delays the first answer byte until its last byte is in), so moving 1 MiB costs the
 * same whatever the Worker does with it. The same 1 MiB sent to a route that never reads it
 * (`POST /health`, answered 404) measures that transport floor in the same run.
 */
import { runLoad, type LoadRun } from "../load.ts";
import { fmt, type ScenarioContext, type ScenarioResult } from "../scenario.ts";
import { medianOf } from "../stats.ts";

const REQUESTS = 20;
const ONE_MIB = 1024 * 1024;
const TARGET_RATIO = 1.5;

/** `{"key":"x","value":[[],[],…]}` of exactly `bytes` bytes (`[]` and `,` fill it). */
export function emptyArraysBody(bytes: number): string {
  const head = '{"key":"x","value":[';
  const tail = "[]]}";
  const filler = "[],".repeat(Math.floor((bytes - head.length - tail.length) / 3));
  return (head + filler + tail).padEnd(bytes, " ");
}

interface AnonymousWritesRun {
  tiny: LoadRun;
  large: LoadRun;
  /** The same 1 MiB to a route that never reads a body: what the transport alone costs. */
  floor: LoadRun;
}

export async function anonymousWritesScenario({ env, settings, log }: ScenarioContext): Promise<ScenarioResult> {
  const large = emptyArraysBody(ONE_MIB);
  const tiny = JSON.stringify({ key: "x", value: 1 });
  const anonymousPost = (path: string, body: string, amount: number, status: number) =>
    runLoad({
      baseUrl: env.url,
      connections: 1,
      amount,
      method: "POST",
      path,
      headers: { "content-type": "application/json" }, // no token: anonymous
      body: () => body,
      measureStatus: status,
    });
  const refusedSet = (body: string, amount: number) => anonymousPost("/trpc/set", body, amount, 401);
  const runs: AnonymousWritesRun[] = [];
  for (let run = 1; run <= settings.runs; run++) {
    await refusedSet(tiny, 5); // warm-up: connection, isolate
    // Interleaved so both see the same machine.
    const tinyRun = await refusedSet(tiny, REQUESTS);
    const largeRun = await refusedSet(large, REQUESTS);
    const floorRun = await anonymousPost("/health", large, REQUESTS, 404);
    runs.push({ tiny: tinyRun, large: largeRun, floor: floorRun });
    log(
      `  run ${run}: anonymous set p50 tiny ${fmt.ms(tinyRun.p50)}, 1 MiB ${fmt.ms(largeRun.p50)}; 1 MiB never read ${fmt.ms(floorRun.p50)}`,
    );
  }
  const figures = {
    tinyP50: medianOf(runs, (r) => r.tiny.p50),
    largeP50: medianOf(runs, (r) => r.large.p50),
    ratio: medianOf(runs, (r) => r.large.p50 / r.tiny.p50),
    floorP50: medianOf(runs, (r) => r.floor.p50),
    ratioToFloor: medianOf(runs, (r) => r.large.p50 / r.floor.p50),
    bodyBytes: ONE_MIB,
    // Every answer must be the 401: anything else (or a dropped connection) is a failure here.
    failedRequests: runs.reduce((sum, r) => sum + [r.tiny, r.large, r.floor].reduce((s, load) => s + load.non2xx + load.errors, 0), 0),
  };
  return {
    scenario: "anonymous writes (refused before the body is read)",
    status: "ok",
    figures,
    runs,
    rows: [
      {
        figure: `1 conn, ${REQUESTS} requests: median of an anonymous 1 MiB set`,
        value: fmt.ms(figures.largeP50),
        baseline: `anonymous tiny set ${fmt.ms(figures.tinyP50)} (${fmt.times(figures.ratio)}); both answered 401`,
        target: `≤ ${TARGET_RATIO}× the tiny one`,
        met: figures.ratio <= TARGET_RATIO,
      },
      {
        figure: "the same 1 MiB to a route that never reads it (transport floor)",
        value: fmt.ms(figures.floorP50),
        baseline: `anonymous 1 MiB set ${fmt.times(figures.ratioToFloor)} of it`,
        target: `1 MiB set ≤ ${TARGET_RATIO}× it (what the Worker adds for the size)`,
        met: figures.ratioToFloor <= TARGET_RATIO,
      },
    ],
  };
}
