/**
 * The colo tier on the Workers Cache API (`coloTier: "cache-api"`), the Worker's side: before any
 * routing, a `GET /r/...` is looked up in the cache; a hit is answered from it (a 304 when the
 * reader's validators match), with no Durable Object call. A miss runs the Worker, and an answer
 * that a shared cache may keep (`CDN-Cache-Control` / `s-maxage` above 0, `public`) is handed to
 * the namespace's coordinator, which stores it and indexes its tags (colo-index.ts) — unless an
 * invalidation accepted since the request started matches it.
 *
 * It keeps answers for their shared max-age only (no stale-while-revalidate: a cache may always
 * serve less stale than allowed). Hits skip the Worker entirely, as Workers Caching does: they are
 * not rate limited, logged or counted in `stats`.
 */
import { loadConfig, namespaceSettings } from "../config/load-config.ts";
import { coordinatorFor } from "../coordinator/coordinator-rpc.ts";
import { rawPath } from "../http/raw-path.ts";
import { parseProxyPath, PROXY_PREFIX } from "../proxy/proxy-path.ts";
import { COLO_CACHE_NAME, fromTier } from "./cache-api-store.ts";
import type { ColoEntry } from "./colo-tier.ts";

export async function serveThroughCacheApi(
  request: Request,
  env: Env,
  waitUntil: (work: Promise<unknown>) => void,
  handle: (request: Request) => Promise<Response>,
): Promise<Response> {
  // Every request passes here: the others leave before any URL is parsed.
  if (request.method !== "GET" || !rawPath(request.url).startsWith(PROXY_PREFIX)) return handle(request);
  const url = new URL(request.url);
  const path = safeProxyPath(url.pathname);
  // Only a namespace whose answers a shared cache may keep is looked up (the others never are stored).
  if (path === undefined || !sharedCacheable(env, path.namespace)) return handle(request);
  const cacheKey = coloCacheKey(url, request.headers.get("Origin"));
  const cache = await caches.open(COLO_CACHE_NAME);
  const stored = await cache.match(cacheKey);
  if (stored) return fromTier(stored, request.headers);

  const startedAt = Date.now();
  const response = await handle(request);
  const ttlSeconds = sharedTtl(response);
  if (ttlSeconds <= 0) return response;
  const body = await response.text();
  const headers = [...response.headers];
  const entry: ColoEntry = {
    cacheKey,
    namespace: path.namespace,
    key: path.key,
    tags: (response.headers.get("Cache-Tag") ?? "").split(",").filter((tag) => tag !== ""),
    startedAt,
    ttlSeconds,
    status: response.status,
    headers,
    body,
  };
  waitUntil(
    coordinatorFor(env, path.namespace)
      .coloStore(entry)
      .catch((error: unknown) => logStoreFailure(error)),
  );
  const answer = new Response(body, { status: response.status, headers });
  answer.headers.set("X-Colo-Cache", "MISS");
  return answer;
}

/** The request URL, plus the reader's Origin: answers carry per-origin CORS headers (Vary: Origin). */
export function coloCacheKey(url: URL, origin: string | null): string {
  const key = new URL(url);
  key.searchParams.set("__colo_origin", origin ?? "");
  return key.toString();
}

/** Seconds a shared cache may keep the answer (RFC 9213 CDN-Cache-Control first, then s-maxage); 0 = not at all. */
export function sharedTtl(response: Response): number {
  if (response.status !== 200) return 0;
  const control = response.headers.get("Cache-Control") ?? "";
  if (!/\bpublic\b/.test(control) || /\b(private|no-store)\b/.test(control)) return 0;
  const cdn = response.headers.get("CDN-Cache-Control");
  if (cdn !== null) return /\bno-store\b/.test(cdn) ? 0 : directive(cdn, "max-age");
  return directive(control, "s-maxage");
}

function directive(header: string, name: string): number {
  const match = new RegExp(`(?:^|[,\\s])${name}=(\\d+)`).exec(header);
  return match ? Number(match[1]) : 0;
}

function sharedCacheable(env: Env, namespace: string): boolean {
  const settings = namespaceSettings(loadConfig(env.CACHE_CONFIG), namespace);
  return settings.publicRead && settings.httpCache.sharedMaxAgeMs > 0;
}

function safeProxyPath(pathname: string) {
  try {
    return parseProxyPath(pathname);
  } catch {
    return undefined;
  }
}

function logStoreFailure(error: unknown): void {
  console.error(
    JSON.stringify({ level: "warn", event: "colo_store_failed", message: error instanceof Error ? error.message : String(error) }),
  );
}
