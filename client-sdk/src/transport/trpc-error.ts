/** Turns what @trpc/client throws into a CacheError: `data.code` and the HTTP status are authoritative. */
import { TRPCClientError } from "@trpc/client";
import { CacheError, codeForStatus, type CacheErrorCode, type CacheErrorDetails, type CacheErrorIssue } from "../errors/cache-error.ts";

interface ServerErrorData {
  code?: string;
  httpStatus?: number;
  details?: CacheErrorDetails;
  issues?: CacheErrorIssue[];
}

export function fromTrpcError(error: unknown): CacheError {
  if (error instanceof CacheError) return error;
  if (!(error instanceof TRPCClientError)) {
    return new CacheError({ code: "NETWORK_ERROR", message: `could not reach the cache: ${String(error)}`, cause: error });
  }
  const data = error.data as ServerErrorData | undefined;
  const response = (error.meta as { response?: Response } | undefined)?.response;
  const retryAfterMs = parseRetryAfter(response?.headers.get("retry-after") ?? null);
  if (data?.code) {
    return new CacheError({
      code: data.code as CacheErrorCode,
      status: data.httpStatus ?? response?.status,
      message: error.message,
      ...(data.details ? { details: data.details } : {}),
      ...(data.issues ? { issues: data.issues } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      cause: error,
    });
  }
  // A response that was not a tRPC error (a proxy's HTML 502, for instance): trust its status.
  if (response && response.status >= 400) {
    return new CacheError({ code: codeForStatus(response.status), status: response.status, message: error.message, cause: error });
  }
  return new CacheError({ code: "NETWORK_ERROR", message: `could not reach the cache: ${error.message}`, cause: error });
}

/** RFC 9110 §10.2.3: delay-seconds or an HTTP date. */
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
