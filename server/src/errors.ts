/**
 * Domain errors, each with a stable code. They cross Durable Object RPC as plain values
 * (`ErrorPayload`), because RPC keeps an error's message but drops custom properties, and are
 * translated to tRPC / HTTP errors in one place (`trpc/errors.ts`, `proxy/`).
 */
export type ErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PAYLOAD_TOO_LARGE"
  | "TOO_MANY_REQUESTS"
  | "BAD_GATEWAY"
  | "GATEWAY_TIMEOUT"
  | "NOT_IMPLEMENTED"
  | "SERVICE_UNAVAILABLE"
  | "INTERNAL_SERVER_ERROR";

export const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
  BAD_GATEWAY: 502,
  GATEWAY_TIMEOUT: 504,
  NOT_IMPLEMENTED: 501,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
};

/**
 * What a caller may read of a server-side failure (5xx). By convention a domain message puts any
 * internal cause (a network error, a database error, where a secret failed validation) after its
 * first ": ", so the caller gets the part before it; the whole message goes to the log line with
 * the request id. Unexpected errors are not described at all.
 */
export function publicServerMessage(error: unknown): string {
  if (!(error instanceof CacheError)) return "internal error; the server logged the cause";
  const cut = error.message.indexOf(": ");
  return cut === -1 ? error.message : error.message.slice(0, cut);
}

/** Whether a code is the server's failure (5xx), whose details stay in the log. */
export const isServerError = (code: ErrorCode): boolean => HTTP_STATUS[code] >= 500;

/** Context a caller can act on: the current version on a conflict, seconds to wait on a 429, … */
export type ErrorData = Record<string, string | number | boolean | null>;

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  data?: ErrorData;
}

export class CacheError extends Error {
  override readonly name = "CacheError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly data?: ErrorData,
  ) {
    super(message);
  }

  toPayload(): ErrorPayload {
    return this.data ? { code: this.code, message: this.message, data: this.data } : { code: this.code, message: this.message };
  }

  static fromPayload(payload: ErrorPayload): CacheError {
    return new CacheError(payload.code, payload.message, payload.data);
  }
}

export const conflict = (key: string, currentVersion: number, expected: number) =>
  new CacheError(
    "CONFLICT",
    `version mismatch for key "${key}": expected ${expected}, current version is ${currentVersion}`,
    { key, currentVersion, expectedVersion: expected },
  );

export const notImplemented = (procedure: string) =>
  new CacheError("NOT_IMPLEMENTED", `${procedure} is not implemented yet in this deployment`);

/** What a Durable Object RPC method returns: domain errors are values, not throws. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload };

/** Runs `work` and turns a CacheError into an error value; anything else still throws (a bug). */
export async function settle<T>(work: () => Promise<T> | T): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof CacheError) return { ok: false, error: error.toPayload() };
    throw error;
  }
}

/** The Worker side of `settle`: the value, or the domain error thrown again. */
export function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw CacheError.fromPayload(outcome.error);
}
