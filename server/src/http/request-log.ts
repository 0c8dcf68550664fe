/**
 * One JSON log line per request — request id, route or tRPC procedure(s), namespace when known,
 * status, duration — and the id echoed as `X-Request-Id`. It records what was called, never what
 * was sent: no header values, no query string, no body, no key, no cached value.
 *
 * Successful reads of a namespace with `requestLog.sampleRate` < 1 are sampled (the line then says
 * its `sampleRate`, so counts can be scaled back); errors and mutations are always logged.
 */
import { LIMITS } from "@cache-sync/contracts";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env.ts";
import { loadConfig, namespaceSettings } from "../config/load-config.ts";
import { CacheError } from "../errors.ts";
import { parseProxyPath } from "../proxy/proxy-path.ts";
import { setResponseHeader } from "./response-headers.ts";
import { procedureAccess } from "../trpc/procedure-access.ts";
import { parseTrpcPath, type TrpcCall } from "../trpc/trpc-path.ts";

export interface RequestLogLine {
  level: "info";
  event: "request";
  requestId: string;
  method: string;
  route: string;
  procedure?: string;
  namespace?: string;
  tokenId?: string;
  status: number;
  durationMs: number;
  /** Present when this line stands for 1 / sampleRate such requests (sampled successful reads). */
  sampleRate?: number;
}

// A caller's own id is kept when it is a plain token of this shape, so logs can be joined across
// services; anything else (log injection, a pasted secret of unusual length) gets a fresh id.
const CALLER_REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;

export const requestLog: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = performance.now();
  const incoming = c.req.header("X-Request-Id");
  const requestId = incoming && CALLER_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  c.set("requestId", requestId);

  await next();

  setResponseHeader(c, "X-Request-Id", requestId);
  const durationMs = Math.round((performance.now() - started) * 10) / 10;
  const url = new URL(c.req.url);
  // What the gate (tRPC) or the proxy path learned; nothing is read again for the log.
  const namespaces = url.pathname.startsWith("/r/") ? proxyNamespace(url) : (c.get("namespaces") ?? []);
  const sampleRate = readSampleRate(c.req.method, c.res.status, namespaces, c.env.CACHE_CONFIG);
  if (sampleRate < 1 && !(Math.random() < sampleRate)) return;
  const principal = c.get("principal");
  const line: RequestLogLine = {
    level: "info",
    event: "request",
    requestId,
    method: c.req.method,
    ...describeRoute(url, c.res.status, c.get("trpcCall")),
    ...(namespaces.length > 0 && { namespace: namespaces.join(",") }),
    ...(principal && { tokenId: principal.id }),
    status: c.res.status,
    durationMs,
    ...(sampleRate < 1 && { sampleRate }),
  };
  console.log(JSON.stringify(line));
};

/**
 * The share of such requests to log: 1 for anything that is not a successful read, else the
 * highest `requestLog.sampleRate` of the namespaces it touched (a config that fails to load logs all).
 */
function readSampleRate(method: string, status: number, namespaces: string[], rawConfig: unknown): number {
  if ((method !== "GET" && method !== "HEAD") || status >= 400 || namespaces.length === 0) return 1;
  try {
    const config = loadConfig(rawConfig);
    return Math.max(...namespaces.map((namespace) => namespaceSettings(config, namespace).requestLog.sampleRate));
  } catch {
    return 1;
  }
}

/**
 * The route pattern, and for tRPC the procedure name(s) of a (batched) call. Paths are the
 * caller's text, so only names the Worker knows are logged: never a key, never what was pasted.
 */
function describeRoute(url: URL, status: number, known: TrpcCall | undefined): { route: string; procedure?: string } {
  if (url.pathname.startsWith("/trpc/")) {
    const call = known ?? trpcCallOrUndefined(url);
    const names = call?.names ?? ["(unknown)"];
    return { route: "/trpc", procedure: names.map((name) => (procedureAccess(name) ? name : "(unknown)")).join(",") };
  }
  if (url.pathname.startsWith("/r/")) return { route: "/r/:namespace/:key" };
  return { route: status === 404 ? "(no route)" : url.pathname };
}

function trpcCallOrUndefined(url: URL): TrpcCall | undefined {
  try {
    return parseTrpcPath(url);
  } catch {
    return undefined; // a malformed path: its 400 is logged without names
  }
}

/** The proxy's namespace when the path holds a well-formed one; a malformed path logs none. */
function proxyNamespace(url: URL): string[] {
  try {
    const namespace = parseProxyPath(url.pathname)?.namespace;
    return namespace !== undefined && LIMITS.namespacePattern.test(namespace) ? [namespace] : [];
  } catch (error) {
    if (error instanceof CacheError) return [];
    throw error;
  }
}
