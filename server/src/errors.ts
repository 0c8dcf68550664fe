/**
 * Domain errors, each with a stable code and status from the error contract (contracts/src/errors.ts),
 * and the details that code carries. They cross Durable Object RPC as plain values
 * (`ErrorPayload`), because RPC keeps an error's message but drops custom properties, and are
 * rendered at one boundary: hono's `onError` (http/render-error.ts) and tRPC's error formatter
 * (trpc/init.ts).
 */
import { ERROR_CODES, type ErrorDetails, type ServerErrorCode } from "@cache-sync/contracts";

/** The codes the cache raises, from the error contract (contracts/src/errors.ts). */
export type ErrorCode = ServerErrorCode;

/** The HTTP status of each code (the contract's table). */
export const httpStatus = (code: ErrorCode): number => ERROR_CODES[code].status;

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
export const isServerError = (code: ErrorCode): boolean => httpStatus(code) >= 500;

/**
 * A domain error as it crosses RPC (to the Worker, and to a service binding's caller): the
 * contract's `details` travel as `data`, the name the SDK's binding transport reads.
 */
export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  data?: ErrorDetails<ErrorCode>;
}

export class CacheError<C extends ErrorCode = ErrorCode> extends Error {
  override readonly name = "CacheError";
  constructor(
    readonly code: C,
    message: string,
    /** Context a caller can act on (the contract's shape for `code`): the current version on a conflict, seconds to wait on a 429, … */
    readonly details?: ErrorDetails<C>,
  ) {
    super(message);
  }

  toPayload(): ErrorPayload {
    return this.details ? { code: this.code, message: this.message, data: this.details } : { code: this.code, message: this.message };
  }

  static fromPayload(payload: ErrorPayload): CacheError {
    return new CacheError(payload.code, payload.message, payload.data);
  }
}

/** How long a domain error asks its caller to wait (`details.retryAfterSeconds`), as a list (empty: no wait). */
export function retryAfterSeconds(error: unknown): number[] {
  if (!(error instanceof CacheError)) return [];
  const seconds: unknown = error.details?.retryAfterSeconds;
  return typeof seconds === "number" ? [seconds] : [];
}

export const conflict = (key: string, currentVersion: number, expected: number) =>
  new CacheError("CONFLICT", `version mismatch for key "${key}": expected ${expected}, current version is ${currentVersion}`, {
    key,
    currentVersion,
    expectedVersion: expected,
  });

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
