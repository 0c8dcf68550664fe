/**
 * One JSON log line per request — request id, route or tRPC procedure(s), namespace when known,
 * status, duration — and the id echoed as `X-Request-Id`. It records what was called, never what
 * was sent: no header values, no query string, no body, no key, no cached value.
 *
 * Successful reads of a namespace with `requestLog.sampleRate` < 1 are sampled (the line then says
 * its `sampleRate`, so counts can be scaled back); errors and mutations are always logged.
 */
import { DEFAULT_NAMESPACE, LIMITS } from "@cache-sync/contracts";
import type { MiddlewareHandler } from "hono";
import type { AuthVariables } from "../auth/authenticate.ts";
import { loadConfig, namespaceSettings } from "../config/load-config.ts";
import { appRouter } from "../trpc/router.ts";

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
// Bodies are read for their namespaces only when small; the log is not worth buffering a 1 MiB value.
const MAX_BODY_FOR_NAMESPACE = 16 * 1024;

export const requestLog: MiddlewareHandler<{ Bindings: Env; Variables: AuthVariables }> = async (c, next) => {
  const started = performance.now();
  const incoming = c.req.header("X-Request-Id");
  const requestId = incoming && CALLER_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  const url = new URL(c.req.url);
  const body = smallTrpcBody(c.req.raw, url);

  await next();

  try {
    c.res.headers.set("X-Request-Id", requestId);
  } catch {
    // A response with immutable headers (passed through from a fetch): copy it to add ours.
    c.res = new Response(c.res.body, c.res);
    c.res.headers.set("X-Request-Id", requestId);
  }
  const durationMs = Math.round((performance.now() - started) * 10) / 10;
  // A refused oversized body is not read again here.
  if (c.res.status === 413) void body?.cancel().catch(() => {});
  const namespaces = !url.pathname.startsWith("/trpc/") ? proxyNamespace(url) : c.res.status === 413 ? [] : await trpcNamespaces(url, body);
  const sampleRate = readSampleRate(c.req.method, c.res.status, namespaces, c.env.CACHE_CONFIG);
  if (sampleRate < 1 && !(Math.random() < sampleRate)) return;
  const principal = c.get("principal");
  const line: RequestLogLine = {
    level: "info",
    event: "request",
    requestId,
    method: c.req.method,
    ...describeRoute(url, c.res.status),
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

const PROCEDURES = new Set(Object.keys(appRouter._def.procedures));

/**
 * The route pattern, and for tRPC the procedure name(s) of a (batched) call. Paths are the
 * caller's text, so only names the Worker knows are logged: never a key, never what was pasted.
 */
function describeRoute(url: URL, status: number): { route: string; procedure?: string } {
  if (url.pathname.startsWith("/trpc/")) {
    const names = url.pathname.slice("/trpc/".length).split(",");
    return { route: "/trpc", procedure: names.map((name) => (PROCEDURES.has(name) ? name : "(unknown)")).join(",") };
  }
  if (url.pathname.startsWith("/r/")) return { route: "/r/:namespace/:key" };
  return { route: status === 404 ? "(no route)" : url.pathname };
}

function proxyNamespace(url: URL): string[] {
  if (!url.pathname.startsWith("/r/")) return [];
  const namespace = url.pathname.split("/")[2];
  return namespace ? [safeNamespace(decodeURIComponent(namespace))].filter((n): n is string => n !== undefined) : [];
}

/** A copy of a tRPC POST body that may be small, taken before tRPC consumes the original. */
function smallTrpcBody(request: Request, url: URL): ReadableStream<Uint8Array> | undefined {
  if (request.method !== "POST" || !url.pathname.startsWith("/trpc/")) return undefined;
  const length = request.headers.get("Content-Length");
  if (length !== null && !(Number(length) <= MAX_BODY_FOR_NAMESPACE)) return undefined;
  return request.clone().body ?? undefined;
}

/** The body's text if it is at most MAX_BODY_FOR_NAMESPACE bytes; a longer one is abandoned unread. */
async function readSmall(body: ReadableStream<Uint8Array>): Promise<string | undefined> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_BODY_FOR_NAMESPACE) {
        await reader.cancel();
        return undefined;
      }
      chunks.push(value);
    }
  } catch {
    return undefined;
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/**
 * The namespaces a tRPC call named: from `?input=` (queries) or the body (mutations), batched
 * (`{"0": {...}}`) or not. Inputs without one use the default namespace.
 */
async function trpcNamespaces(url: URL, body: ReadableStream<Uint8Array> | undefined): Promise<string[]> {
  let text: string | null | undefined = url.searchParams.get("input");
  if (text === null) text = body ? await readSmall(body) : undefined;
  if (!text) return [];
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    return [];
  }
  const inputs = url.searchParams.get("batch") === "1" && isObject(input) ? Object.values(input) : [input];
  const names = new Set<string>();
  for (const one of inputs) {
    if (!isObject(one)) continue;
    const namespace = one.namespace === undefined ? DEFAULT_NAMESPACE : safeNamespace(one.namespace);
    if (namespace !== undefined) names.add(namespace);
  }
  return [...names];
}

/** Only well-formed namespace names reach the log; an invalid one is the caller's text, not a name. */
function safeNamespace(value: unknown): string | undefined {
  return typeof value === "string" && LIMITS.namespacePattern.test(value) ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
