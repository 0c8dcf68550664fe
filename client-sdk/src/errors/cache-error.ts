/** The one error type the SDK throws, whichever transport carried the call. */
import { ERROR_CODES, type ErrorCode } from "../generated/error-codes.ts";
import type { InvalidationStatus } from "../generated/wire-types.ts";

/**
 * The contract's error codes (docs/design.md "Wire contract", the table in
 * `generated/error-codes.ts`): the server's, tRPC's own refusals, and the SDK's own:
 * - `NETWORK_ERROR`: no answer.
 * - `TIMEOUT`: the call's `timeoutMs` passed.
 * - `ABORTED`: the caller's signal.
 * - `JOB_FAILED`: an invalidation ended in `failed` and `done` was asked to throw.
 * - `QUEUE_STORAGE_FAILED`: a mutation that had to be queued could not be saved (storage full,
 *   no permission, no IndexedDB), so it is not queued; or a queued entry left the storage without
 *   a result (someone cleared it).
 * - `QUEUE_FULL`: the offline queue already holds `maxQueued` mutations; this one is not queued.
 * - `EXPIRED`: a queued mutation waited longer than `replayWindowMs`, so the server may have
 *   forgotten its idempotency key; it was moved to the dead letters instead of being replayed.
 *
 * @example
 * const outcome = await cache.set("draft", text).catch((error) => {
 *   if (isCacheError(error) && error.code === "QUEUE_FULL") showBanner("Too many unsynced edits");
 *   throw error;
 * });
 */
export type CacheErrorCode = ErrorCode;

/** One problem with one input field, as the server's validation reported it. */
export interface CacheErrorIssue {
  path: (string | number)[];
  message: string;
  code: string;
}

/** Context the server attached, e.g. `{ currentVersion }` on a CONFLICT. */
export type CacheErrorDetails = Record<string, string | number | boolean | null>;

/** The fields of a `CacheError`, as its constructor takes them and as `toJSON()` (and a dead letter) keeps them. */
export interface CacheErrorInit {
  code: CacheErrorCode;
  message: string;
  /** HTTP status; 0 when no response was involved (network, timeout, abort). */
  status?: number;
  details?: CacheErrorDetails;
  issues?: CacheErrorIssue[];
  retryAfterMs?: number;
  job?: InvalidationStatus;
  cause?: unknown;
}

type CodeSpec = (typeof ERROR_CODES)[CacheErrorCode];
const specOf = (code: CacheErrorCode): CodeSpec | undefined => (Object.hasOwn(ERROR_CODES, code) ? ERROR_CODES[code] : undefined);

/** Statuses that mean "try again later" rather than "this request is wrong" (RFC 9110 §15): the contract's retryable codes. */
const RETRYABLE_STATUS = new Set<number>(
  Object.values(ERROR_CODES).flatMap((spec: CodeSpec) => (spec.retryable && spec.status !== null ? [spec.status] : [])),
);

/**
 * An error from the cache: the contract's `code`, the HTTP `status` and the server's message.
 *
 * @example
 * try {
 *   await cache.set("sku-1", product, { ifVersion: 3 });
 * } catch (error) {
 *   if (isCacheError(error) && error.code === "CONFLICT") {
 *     console.log("someone else wrote version", error.details?.currentVersion);
 *   } else throw error;
 * }
 */
export class CacheError extends Error {
  override readonly name = "CacheError";
  /** The contract's error code (`CONFLICT`, `BAD_REQUEST`, …) or the SDK's own (`NETWORK_ERROR`, `TIMEOUT`, `ABORTED`, `JOB_FAILED`, `QUEUE_STORAGE_FAILED`, `QUEUE_FULL`, `EXPIRED`). */
  readonly code: CacheErrorCode;
  /** The HTTP status the server answered with; 0 when no response was involved (network, timeout, abort). */
  readonly status: number;
  /** Context the server attached, e.g. `{ currentVersion }` on a CONFLICT. */
  readonly details: CacheErrorDetails | undefined;
  /** Validation problems, one per bad field (BAD_REQUEST). */
  readonly issues: CacheErrorIssue[] | undefined;
  /** How long the server asked us to wait (TOO_MANY_REQUESTS with `Retry-After`). */
  readonly retryAfterMs: number | undefined;
  /** The failed job's final status (JOB_FAILED). */
  readonly job: InvalidationStatus | undefined;

  constructor(init: CacheErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    // A server code that came without an HTTP response (service-binding RPC) has the contract's status.
    const spec = specOf(init.code);
    this.status = init.status ?? (spec?.raisedBy === "server" ? spec.status : 0);
    this.details = init.details;
    this.issues = init.issues;
    this.retryAfterMs = init.retryAfterMs;
    this.job = init.job;
  }

  /**
   * True when the same request may succeed later (no answer, timeout, 408, 429, 502, 503, 504):
   * such mutations are queued and replayed; anything else is the request's fault.
   */
  get retryable(): boolean {
    const spec = specOf(this.code);
    return (spec?.raisedBy === "sdk" && spec.retryable) || RETRYABLE_STATUS.has(this.status);
  }

  /** A plain object for storage (dead letters) and logs. */
  toJSON(): CacheErrorInit {
    const json: CacheErrorInit = { code: this.code, message: this.message, status: this.status };
    if (this.details) json.details = this.details;
    if (this.issues) json.issues = this.issues;
    if (this.retryAfterMs !== undefined) json.retryAfterMs = this.retryAfterMs;
    return json;
  }
}

/**
 * Narrows an unknown error to a CacheError.
 *
 * @example
 * catch (error) { if (isCacheError(error) && error.code === "NOT_FOUND") return null; throw error; }
 */
export function isCacheError(error: unknown): error is CacheError {
  return error instanceof CacheError;
}

/** The code a bare HTTP status stands for, when a response carried no tRPC error body. */
export function codeForStatus(status: number): CacheErrorCode {
  // tRPC's own codes always come with its error body, so a bare status stands for the cache's code or the SDK's TIMEOUT (408).
  const entry = Object.entries(ERROR_CODES).find(([, spec]) => spec.raisedBy !== "trpc" && spec.status === status);
  if (entry) return entry[0] as CacheErrorCode;
  return status >= 500 ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST";
}
