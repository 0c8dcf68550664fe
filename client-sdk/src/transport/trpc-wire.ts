/**
 * tRPC's HTTP batch format (v11, no transformer), written out so the SDK can size its batches:
 * `GET /trpc/get,stats?batch=1&input={"0":…,"1":…}` for queries, `POST /trpc/set,set?batch=1` with
 * the same object as the body for mutations. The answer is an array with one
 * `{ result: { data } }` or `{ error }` per call, or a single error object for the whole request
 * (the server refused it before tRPC ran: 401, 413, 429).
 */
import { CacheError, codeForStatus, type CacheErrorCode, type CacheErrorDetails, type CacheErrorIssue } from "../errors/cache-error.ts";

export type CallKind = "query" | "mutation";

/** One call as it travels: its procedure and its input, already serialized once. */
export interface WireCall {
  procedure: string;
  /** `JSON.stringify(input)`, or `undefined` when the input is undefined. */
  json: string | undefined;
}

/** The URL and request body of one batch. */
export function batchRequest(base: string, kind: CallKind, calls: readonly WireCall[]): { url: string; body: string | undefined } {
  const path = calls.map((c) => encodeURIComponent(c.procedure)).join(",");
  const inputs = `{${calls
    .map((c, i) => (c.json === undefined ? "" : `"${i}":${c.json}`))
    .filter(Boolean)
    .join(",")}}`;
  if (kind === "mutation") return { url: `${base}/${path}?batch=1`, body: inputs };
  return { url: `${base}/${path}?batch=1&input=${encodeURIComponent(inputs)}`, body: undefined };
}

interface ErrorEnvelope {
  error: { message?: unknown; data?: { code?: unknown; httpStatus?: unknown; details?: unknown; issues?: unknown } };
}

const isEnvelope = (value: unknown): value is ErrorEnvelope =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as ErrorEnvelope).error === "object" &&
  (value as ErrorEnvelope).error !== null;

/** A tRPC error object as a CacheError: `data.code` and `data.httpStatus` are authoritative. */
export function errorFromEnvelope(envelope: ErrorEnvelope, status: number, retryAfterMs: number | undefined): CacheError {
  const { message, data } = envelope.error;
  const httpStatus = typeof data?.httpStatus === "number" ? data.httpStatus : status;
  const code = typeof data?.code === "string" ? (data.code as CacheErrorCode) : codeForStatus(httpStatus);
  return new CacheError({
    code,
    status: httpStatus,
    message: typeof message === "string" ? message : `the cache answered HTTP ${httpStatus}`,
    ...(data?.details && typeof data.details === "object" ? { details: data.details as CacheErrorDetails } : {}),
    ...(Array.isArray(data?.issues) ? { issues: data.issues as CacheErrorIssue[] } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

/** Each call's outcome from one batch answer: a value, or the CacheError to throw. */
export function batchOutcomes(
  count: number,
  status: number,
  headers: Headers,
  text: string,
): Array<{ ok: true; data: unknown } | { ok: false; error: CacheError }> {
  const retryAfterMs = parseRetryAfter(headers.get("retry-after"));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Not tRPC's answer (a proxy's HTML 502, say): trust the status.
    const error = new CacheError({
      code: status >= 400 ? codeForStatus(status) : "BAD_GATEWAY",
      status,
      message: `the cache answered HTTP ${status} with a body that is not JSON`,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
    return Array.from({ length: count }, () => ({ ok: false as const, error }));
  }
  const items: unknown[] = Array.isArray(json) ? json : Array.from({ length: count }, () => json);
  return Array.from({ length: count }, (_, i) => {
    const item = items[i];
    if (isEnvelope(item)) return { ok: false as const, error: errorFromEnvelope(item, status, retryAfterMs) };
    const result = (item as { result?: { data?: unknown } } | undefined)?.result;
    if (result && typeof result === "object") return { ok: true as const, data: result.data };
    return {
      ok: false as const,
      error: new CacheError({ code: "BAD_GATEWAY", status, message: `the cache's answer has no result for call ${i} of ${count}` }),
    };
  });
}

/** RFC 9110 §10.2.3: delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
