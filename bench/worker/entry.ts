/**
 * The bench Worker: the real cache-sync Worker plus baseline routes that exist only in this build
 * (bench/wrangler.jsonc), never in server/src. Everything outside /bench/ is served by the real
 * Worker unchanged.
 *
 *   GET /bench/bare        a plain hono route: the ceiling of any route on this runtime
 *   GET /bench/do-floor    one DO RPC returning a constant: the floor of any Durable-Object design
 *   GET /bench/do-floor/:key  the same over eight objects, picked by the key (the spread's shard count)
 *   GET /bench/proxy/:key  straight to the origin, no cache: what the cache saves
 *
 * and two that split a `get` into its parts, to show where the time goes:
 *
 *   GET /bench/auth                  the real authenticate middleware (token hash, rate limit), then a constant
 *   GET /bench/shard-get/:ns/:key    the real shard `get` (DO RPC, memory tier), without tRPC or auth
 *   GET /bench/logged                the app's request-log and CORS middlewares, then a constant, logged
 *                                    as a successful read of the `hot` namespace (the defaults' policy)
 *   GET /bench/fast-get?input=…      the real tRPC gate (auth, rate limit, input) and `get` short path, without the request log and CORS
 */
import { getInput } from "@cache-sync/contracts";
import { Hono } from "hono";
import type { AppEnv } from "../../server/src/app-env.ts";
import { authenticate } from "../../server/src/auth/authenticate.ts";
import { loadConfig } from "../../server/src/config/load-config.ts";
import { corsFromConfig } from "../../server/src/http/cors.ts";
import { requestLog } from "../../server/src/http/request-log.ts";
import { shardIndex } from "../../server/src/routing/shard-routing.ts";
import { fastGet } from "../../server/src/trpc/fast-get.ts";
import { trpcGate } from "../../server/src/trpc/gate.ts";
import CacheWorker from "../../server/src/index.ts";
import { getEntry } from "../../server/src/service/cache-operations.ts";
import type { BenchFloor } from "./floor.ts";

export { CacheShard, Coordinator, CacheService } from "../../server/src/index.ts";
export { BenchFloor } from "./floor.ts";

type BenchEnv = Env & {
  BENCH_FLOOR: DurableObjectNamespace<BenchFloor>;
  /** Base URL of the bench's origin server; the proxy baseline appends `/items/<key>`. */
  BENCH_ORIGIN: string;
};

const baselines = new Hono<{ Bindings: BenchEnv; Variables: AppEnv["Variables"] }>();

// The gate reads tRPC paths, so the short path runs in its own small app at /trpc/get.
const gatedFastGet = new Hono<AppEnv>().use("/trpc/*", trpcGate).get("/trpc/get", fastGet);

baselines.get("/bench/bare", (c) => c.json({ ok: true }));

baselines.get("/bench/do-floor", async (c) => {
  const floor = c.env.BENCH_FLOOR.get(c.env.BENCH_FLOOR.idFromName("floor"));
  return c.json({ ok: await floor.ping() });
});

// The same floor spread over eight objects (the spread scenario's shard count), by a key in the path.
baselines.get("/bench/do-floor/:key", async (c) => {
  // Routed as the cache routes a key over a namespace's shards.
  const index = shardIndex(c.req.param("key"), 8);
  const floor = c.env.BENCH_FLOOR.get(c.env.BENCH_FLOOR.idFromName(`floor-${index}`));
  return c.json({ ok: await floor.ping() });
});

baselines.get("/bench/auth", authenticate, (c) => c.json({ ok: true }));

baselines.get("/bench/logged", requestLog, corsFromConfig, (c) => {
  // What the gate records for a `get` of "hot": the log applies a cache read's policy to it.
  c.set("trpcCall", { names: ["get"], batch: false });
  c.set("namespaces", ["hot"]);
  return c.json({ ok: true });
});

// fastGet answers every valid, readable input; anything else would fall through to a 404 there.
baselines.get("/bench/fast-get", (c) => {
  const url = new URL(c.req.url);
  url.pathname = "/trpc/get";
  return gatedFastGet.fetch(new Request(url, c.req.raw), c.env, c.executionCtx);
});

baselines.get("/bench/shard-get/:namespace/:key{.+}", async (c) => {
  const request = getInput.parse({ namespace: c.req.param("namespace"), key: c.req.param("key") });
  return c.json(await getEntry({ env: c.env, config: loadConfig(c.env.CACHE_CONFIG) }, request));
});

baselines.get("/bench/proxy/:key{.+}", async (c) => {
  const upstream = await fetch(`${c.env.BENCH_ORIGIN}/items/${encodeURIComponent(c.req.param("key"))}`);
  return new Response(upstream.body, {
    status: upstream.status,
    headers: { "content-type": upstream.headers.get("content-type") ?? "application/json" },
  });
});

export default class BenchWorker extends CacheWorker {
  override fetch(request: Request): Promise<Response> {
    if (new URL(request.url).pathname.startsWith("/bench/")) {
      return Promise.resolve(baselines.fetch(request, this.env as BenchEnv, this.ctx));
    }
    return super.fetch(request);
  }
}
