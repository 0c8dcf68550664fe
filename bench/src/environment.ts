/**
 * What every scenario runs against: the local origin (configurable latency, counts requests), the
 * write-behind sink, and the bench Worker under `wrangler dev --log-level warn` with one namespace
 * per scenario, so scenarios do not disturb each other's keys or counters.
 */
import type { CacheConfigInput } from "@cache-sync/contracts";
import type { Behaviour } from "@cache-sync/dev-kit/origin-behaviour";
import { startOriginProcess } from "@cache-sync/dev-kit/origin-process";
import { cacheTokensVar, issueToken } from "@cache-sync/dev-kit/tokens";
import { startDevServer } from "@cache-sync/dev-kit/wrangler-dev";
import { CacheApi } from "./cache-api.ts";
import type { BenchSettings } from "./settings.ts";
import { startSink, type SinkServer } from "./sink-server.ts";

export const BENCH_CONFIG = new URL("../wrangler.jsonc", import.meta.url).pathname;

/** Long enough that nothing expires during the bench unless a scenario means it to. */
const AN_HOUR = 3_600_000;

export interface Origin {
  url: string;
  /** Behaviour for one key, or (no key) the default. */
  behave(behaviour: Behaviour & { key?: string }): Promise<void>;
  /** Requests so far for keys starting with `prefix`. */
  total(prefix: string): Promise<number>;
  /** When each request for `key` arrived (epoch ms). */
  arrivals(key: string): Promise<number[]>;
}

export interface BenchEnvironment {
  url: string;
  api: CacheApi;
  /** Headers every load request carries (the bench token). */
  authHeaders: Record<string, string>;
  origin: Origin;
  sink: SinkServer;
  stop(): Promise<void>;
}

/** Environments started and not yet stopped, so an interrupted bench can still stop its servers. */
const running = new Set<BenchEnvironment>();

export async function stopRunningEnvironments(): Promise<void> {
  await Promise.all([...running].map((env) => env.stop()));
}

/**
 * The server's top-level choices that differ between bench environments: every scenario runs on
 * the defaults (`coloTier: "off"`, what the hit-path targets are about) except the colo tier's,
 * which starts its own server with the tier on.
 */
export interface EnvironmentOptions {
  coloTier?: "off" | "cache-api";
}

export function benchCacheConfig(
  settings: BenchSettings,
  originUrl: string,
  sinkUrl: string,
  options: EnvironmentOptions = {},
): CacheConfigInput {
  const origin = { url: `${originUrl}/items/{key}`, timeoutMs: 30_000 };
  return {
    maxBatchSize: 1_000,
    // Issue 17: the colo tier on the Cache API (what wrangler dev runs), in the colo scenario's server only.
    coloTier: options.coloTier ?? "off",
    namespaces: {
      default: { freshMs: AN_HOUR },
      hot: { freshMs: AN_HOUR },
      // The same hot key with every successful read logged on its own line (the default before issue 14;
      // README "Observability"), and with the defaults plus the isolate micro-cache (README "Cache policy"; issue 9).
      hotlines: { freshMs: AN_HOUR, requestLog: { successfulReads: "lines" } },
      hotmc: { freshMs: AN_HOUR, hotCache: { maxAgeMs: 1_000 } },
      spread: { freshMs: AN_HOUR },
      herd: { freshMs: AN_HOUR, origin },
      // Refresh-ahead on (the namespace default, refreshAheadBeta 1) and off (0), same freshness.
      stale: { freshMs: settings.stale.freshMs, staleMs: AN_HOUR, origin },
      staleoff: { freshMs: settings.stale.freshMs, staleMs: AN_HOUR, origin, refreshAheadBeta: 0 },
      zipf: { freshMs: AN_HOUR, origin },
      inval: { freshMs: AN_HOUR, shards: settings.invalidation.shards },
      // Longer than the contract's default 60 s flush interval: the scenario's 10,000 writes (in rounds,
      // interleaved with plain sets) take ~80 s here, and it measures them coalesced into one flush.
      wb: { freshMs: AN_HOUR, writeBehind: { sink: "http", url: sinkUrl, flushIntervalMs: 600_000, maxBatch: 500 } },
      plain: { freshMs: AN_HOUR },
      // The colo scenario: one public hot key kept by the colo tier, and the same key where no shared cache may keep it.
      colo: { freshMs: AN_HOUR, publicRead: true, origin },
      coloshard: { freshMs: AN_HOUR, publicRead: true, origin, httpCache: { sharedMaxAgeMs: 0 } },
    },
  };
}

export async function startEnvironment(settings: BenchSettings, options: EnvironmentOptions = {}): Promise<BenchEnvironment> {
  // Its own process: a busy load generator must not hold the origin's answers back (origin-process.ts).
  const originServer = await startOriginProcess();
  const sink = await startSink();
  const bench = issueToken("bench", ["read", "write", "invalidate", "admin"], ["*"]);
  let server;
  try {
    server = await startDevServer({
      config: BENCH_CONFIG,
      vars: {
        CACHE_CONFIG: benchCacheConfig(settings, originServer.url, sink.url, options),
        CACHE_TOKENS: cacheTokensVar([bench]),
        BENCH_ORIGIN: originServer.url,
      },
    });
  } catch (error) {
    await Promise.all([originServer.close(), sink.close()]);
    throw error;
  }
  const origin: Origin = {
    url: originServer.url,
    behave: async (behaviour) => {
      const response = await fetch(`${originServer.url}/__behave`, { method: "POST", body: JSON.stringify(behaviour) });
      await response.text();
    },
    total: async (prefix) => {
      const response = await fetch(`${originServer.url}/__total?prefix=${encodeURIComponent(prefix)}`);
      return ((await response.json()) as { total: number }).total;
    },
    arrivals: async (key) => {
      const response = await fetch(`${originServer.url}/__times?key=${encodeURIComponent(key)}`);
      return ((await response.json()) as { times: number[] }).times;
    },
  };
  const devServer = server;
  const env: BenchEnvironment = {
    url: devServer.url,
    api: new CacheApi(devServer.url, bench.token),
    authHeaders: { authorization: `Bearer ${bench.token}` },
    origin,
    sink,
    stop: async () => {
      running.delete(env);
      await devServer.stop();
      await Promise.all([originServer.close(), sink.close()]);
    },
  };
  running.add(env);
  return env;
}
