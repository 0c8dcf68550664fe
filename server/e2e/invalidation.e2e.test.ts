// Issue 4 through `wrangler dev`: an invalidation job from invalidate to completed, and a job
// interrupted by a restart of the server (same persist dir) that finishes after it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOrigin, type OriginServer } from "@cache-sync/dev-kit/origin-server";
import type { PurgeCall } from "@cache-sync/dev-kit/purge-behaviour";
import { bearer, cacheTokensVar, issueToken } from "@cache-sync/dev-kit/tokens";
import { until } from "@cache-sync/dev-kit/until";
import { startDevServer, type DevServer } from "@cache-sync/dev-kit/wrangler-dev";
import { data, makeClient } from "@cache-sync/dev-kit/http";

const admin = issueToken("admin", ["admin"], ["*"]);

let origin: OriginServer;
let server: DevServer;
let client: ReturnType<typeof makeClient>;

function vars() {
  const purgeTargets = [{ url: `${origin.url}/purge/e2e-catalog` }];
  return {
    CACHE_CONFIG: { namespaces: { default: {}, catalog: { shards: 4, purgeTargets, invalidation: { retryBaseMs: 200 } } } },
    CACHE_TOKENS: cacheTokensVar([admin]),
  };
}

const purge = (path: string, body: object) =>
  fetch(`${origin.url}/__purge/${path}`, { method: "POST", body: JSON.stringify({ path: "/purge/e2e-catalog", ...body }) }).then((r) =>
    r.text(),
  );
const purgeCalls = async (): Promise<PurgeCall[]> =>
  ((await (await fetch(`${origin.url}/__purge/calls?prefix=/purge/e2e-catalog`)).json()) as { calls: PurgeCall[] }).calls;

const status = async (id: string) => data(await client.query("status", { namespace: "catalog", id }));
const finished = (id: string) =>
  until(
    `job ${id}`,
    () => status(id),
    (s) => s.state === "completed" || s.state === "failed",
  );

async function seed(prefix: string, tag: string): Promise<string[]> {
  const keys = Array.from({ length: 20 }, (_, i) => `${prefix}-${i}`);
  await Promise.all(
    keys.map(async (key, i) => data(await client.mutate("set", { namespace: "catalog", key, value: i, tags: i % 2 === 0 ? [tag] : [] }))),
  );
  return keys;
}

async function found(keys: string[]): Promise<string[]> {
  const replies = await Promise.all(keys.map((key) => client.query("get", { namespace: "catalog", key })));
  return keys.filter((_, i) => data(replies[i]!).found);
}

beforeAll(async () => {
  origin = await startOrigin();
  server = await startDevServer({ vars: vars() });
  client = makeClient(server.url, bearer(admin));
});

afterAll(async () => {
  await server?.stop();
  await origin?.close();
});

describe("invalidation through wrangler dev", () => {
  it("invalidate answers queued at once; status polls to completed and the tagged keys are gone", async () => {
    const keys = await seed("basic", "blue");
    const queued = data(await client.mutate("invalidate", { namespace: "catalog", tags: ["blue"] }));
    expect(queued).toMatchObject({ state: "queued", progress: 0, totalTargets: 5 });
    const done = await finished(queued.id);
    expect(done).toMatchObject({ state: "completed", progress: 100, completedTargets: 5, invalidatedKeys: 10, errors: [] });
    expect(await found(keys)).toEqual(keys.filter((_, i) => i % 2 === 1));
    const stats = data(await client.query("stats", { namespace: "catalog" }));
    expect(stats.invalidations.completed).toBeGreaterThanOrEqual(1);
  });

  it("a job interrupted by a restart of wrangler dev finishes after it", async () => {
    const keys = await seed("restart", "green");
    await purge("behave", { hold: true });
    const before = (await purgeCalls()).length;
    const job = data(await client.mutate("invalidate", { namespace: "catalog", tags: ["green"] }));
    // The shards are done and the purge call is in flight (held) when the server goes away.
    await until("the held purge call", purgeCalls, (calls) => calls.length > before);
    expect(await status(job.id)).toMatchObject({ state: "processing", completedTargets: 4, invalidatedKeys: 10 });
    await server.stop();
    await purge("release", {});

    server = await startDevServer({ vars: vars(), stateDir: server.stateDir });
    client = makeClient(server.url, bearer(admin));
    const done = await finished(job.id);
    expect(done).toMatchObject({ state: "completed", progress: 100, completedTargets: 5, failedTargets: 0, invalidatedKeys: 10 });
    const calls = (await purgeCalls()).slice(before);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.every((call) => call.body.jobId === job.id)).toBe(true);
    expect(calls.at(-1)!.status).toBe(200);
    expect(await found(keys)).toEqual(keys.filter((_, i) => i % 2 === 1));
  });
});
