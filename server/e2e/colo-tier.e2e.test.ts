// Issue 17, acceptance 2 through `wrangler dev`: with the colo tier on (`coloTier: "cache-api"`,
// what the local runtime can run) a public namespace's second read is answered by the tier without
// a Durable Object call — the shards' counters do not move — and once `invalidate { tags }` has
// completed, the next read is not the old value, from the tier or the shard.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { data, makeClient } from "@cache-sync/dev-kit/http";
import { startOrigin, type OriginServer } from "@cache-sync/dev-kit/origin-server";
import { bearer, cacheTokensVar, issueToken } from "@cache-sync/dev-kit/tokens";
import { until } from "@cache-sync/dev-kit/until";
import { startDevServer, type DevServer } from "@cache-sync/dev-kit/wrangler-dev";

const admin = issueToken("admin", ["admin"], ["*"]);
let origin: OriginServer;
let server: DevServer;
let client: ReturnType<typeof makeClient>;

beforeAll(async () => {
  origin = await startOrigin();
  server = await startDevServer({
    vars: {
      CACHE_CONFIG: {
        coloTier: "cache-api",
        namespaces: {
          default: {},
          catalog: { shards: 2, publicRead: true, freshMs: 600_000, origin: { url: `${origin.url}/items/{key}`, timeoutMs: 5_000 } },
        },
      },
      CACHE_TOKENS: cacheTokensVar([admin]),
    },
  });
  client = makeClient(server.url, bearer(admin));
});

afterAll(async () => {
  await server?.stop();
  await origin?.close();
});

const behave = (key: string, behaviour: object) =>
  fetch(`${origin.url}/__behave`, { method: "POST", body: JSON.stringify({ key, ...behaviour }) }).then((r) => r.text());
const originCount = async (key: string) =>
  ((await (await fetch(`${origin.url}/__count?key=${encodeURIComponent(key)}`)).json()) as { count: number }).count;
const shardHits = async () => data(await client.query("stats", { namespace: "catalog" })).hits as number;

/** An anonymous reader, as a browser or CDN would be. */
async function read(key: string) {
  const response = await fetch(`${server.url}/r/catalog/${encodeURIComponent(key)}`);
  return { status: response.status, source: response.headers.get("x-colo-cache"), body: await response.json() };
}

describe("the colo tier through wrangler dev (issue 17)", () => {
  it("serves the second read without a shard call, and an invalidation by tag reaches it", async () => {
    const key = `shoe/${crypto.randomUUID()}`;
    await behave(key, { value: { price: 10 }, tags: ["catalog"] });
    expect(await read(key)).toMatchObject({ status: 200, source: "MISS", body: { price: 10 } });
    await until(
      "the tier's copy",
      () => read(key),
      (reply) => reply.source === "HIT",
    );

    const hitsBefore = await shardHits();
    for (let i = 0; i < 5; i++) expect(await read(key)).toMatchObject({ status: 200, source: "HIT", body: { price: 10 } });
    expect(await shardHits()).toBe(hitsBefore);
    expect(await originCount(key)).toBe(1);

    await behave(key, { value: { price: 12 }, tags: ["catalog"] });
    const job = data(await client.mutate("invalidate", { namespace: "catalog", tags: ["catalog"] }));
    expect(job.totalTargets).toBe(3); // 2 shards and the colo tier
    const done = await until(
      "the invalidation",
      async () => data(await client.query("status", { namespace: "catalog", id: job.id })),
      (status) => status.state === "completed" || status.state === "failed",
    );
    expect(done).toMatchObject({ state: "completed", completedTargets: 3, errors: [] });
    const after = await read(key);
    expect(after.source).toBe("MISS");
    expect(after.body).toEqual({ price: 12 });
    expect(await originCount(key)).toBe(2);
  });
});
