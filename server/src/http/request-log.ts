/**
 * One JSON log line per request — request id, route or tRPC procedure(s), namespace when known,
 * status, duration — and the id echoed as `X-Request-Id`. It records what was called, never what
 * was sent: no header values, no query string, no body, no key, no cached value.
 *
 * Successful reads are summed up per isolate by default (`requestLog.successfulReads: "summary"`,
 * read-summary.ts) or logged one line each, sampled at `requestLog.sampleRate` (the line then says
 * its rate, so counts can be scaled back). Errors and mutations are always logged one line each.
 */
import { LIMITS } from "@cache-sync/contracts";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env.ts";
import { loadConfig, namespaceSettings } from "../config/load-config.ts";
import { CacheError } from "../errors.ts";
import { parseProxyPath } from "../proxy/proxy-path.ts";
import { rawPath } from "./raw-path.ts";
import { readSummary } from "./read-summary.ts";
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
  const path = rawPath(c.req.url);
  const status = c.res.status;
  // What the gate (tRPC) or the proxy path learned; nothing is read again for the log.
  const namespaces = path.startsWith("/r/") ? proxyNamespace(path) : (c.get("namespaces") ?? []);
  const route = describeRoute(path, c.req.url, status, c.get("trpcCall"));
  const policy = isCacheRead(path, c.get("trpcCall")) ? readLogPolicy(status, namespaces, c.env.CACHE_CONFIG) : EVERY_LINE;
  if (policy.kind === "summary") {
    const namespace = namespaces.join(",");
    const closing = readSummary.record({ ...(namespace && { namespace }), ...route }, status, durationMs, policy.intervalMs);
    if (closing) c.executionCtx.waitUntil(closing);
    return;
  }
  if (policy.sampleRate < 1 && !(Math.random() < policy.sampleRate)) return;
  const principal = c.get("principal");
  const line: RequestLogLine = {
    level: "info",
    event: "request",
    requestId,
    method: c.req.method,
    ...route,
    ...(namespaces.length > 0 && { namespace: namespaces.join(",") }),
    ...(principal && { tokenId: principal.id }),
    status,
    durationMs,
    ...(policy.sampleRate < 1 && { sampleRate: policy.sampleRate }),
  };
  console.log(JSON.stringify(line));
};

type ReadLogPolicy = { kind: "summary"; intervalMs: number } | { kind: "line"; sampleRate: number };

const EVERY_LINE: ReadLogPolicy = { kind: "line", sampleRate: 1 };

/**
 * A read of cached values — the proxy, or tRPC `get` calls only — the traffic a cache exists for.
 * Operators' queries (stats, status, jobs…) are rare and worth a line each.
 */
function isCacheRead(path: string, call: TrpcCall | undefined): boolean {
  if (path.startsWith("/r/")) return true;
  return call?.names.every((name) => name === "get") === true;
}

/**
 * How to log a cache read: a line when it failed (or its config fails to load); when it succeeded,
 * what its namespaces ask — the summary unless one of them wants lines, then lines at the highest
 * `sampleRate` among those.
 */
function readLogPolicy(status: number, namespaces: string[], rawConfig: unknown): ReadLogPolicy {
  if (status >= 400 || namespaces.length === 0) return EVERY_LINE;
  let config;
  try {
    config = loadConfig(rawConfig);
  } catch {
    return EVERY_LINE;
  }
  let sampleRate = -1;
  for (const namespace of namespaces) {
    const { successfulReads, sampleRate: rate } = namespaceSettings(config, namespace).requestLog;
    if (successfulReads === "lines") sampleRate = Math.max(sampleRate, rate);
  }
  return sampleRate < 0 ? { kind: "summary", intervalMs: config.readSummaryIntervalMs } : { kind: "line", sampleRate };
}

/**
 * The route pattern, and for tRPC the procedure name(s) of a (batched) call. Paths are the
 * caller's text, so only names the Worker knows are logged: never a key, never what was pasted.
 */
function describeRoute(path: string, href: string, status: number, known: TrpcCall | undefined): { route: string; procedure?: string } {
  if (path.startsWith("/trpc/")) {
    const call = known ?? trpcCallOrUndefined(href);
    const names = call?.names ?? ["(unknown)"];
    return { route: "/trpc", procedure: names.map((name) => (procedureAccess(name) ? name : "(unknown)")).join(",") };
  }
  if (path.startsWith("/r/")) return { route: "/r/:namespace/:key" };
  return { route: status === 404 ? "(no route)" : path };
}

function trpcCallOrUndefined(href: string): TrpcCall | undefined {
  try {
    return parseTrpcPath(rawPath(href), new URL(href).searchParams.get("batch") === "1");
  } catch {
    return undefined; // a malformed path: its 400 is logged without names
  }
}

/** The proxy's namespace when the path holds a well-formed one; a malformed path logs none. */
function proxyNamespace(path: string): string[] {
  try {
    const namespace = parseProxyPath(path)?.namespace;
    return namespace !== undefined && LIMITS.namespacePattern.test(namespace) ? [namespace] : [];
  } catch (error) {
    if (error instanceof CacheError) return [];
    throw error;
  }
}
