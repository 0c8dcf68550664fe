/**
 * The error contract: every code a caller can meet, the HTTP status it travels with, whether the
 * same call may succeed later, which answers carry `Retry-After`, and the `details` each of the
 * server's codes attaches. The server's errors (server/src/errors.ts) are built from it; the SDK
 * gets a generated copy (client-sdk/src/generated/error-codes.ts), and the JSON Schema publishes it.
 */
import { z } from "zod";
import { tokenScope } from "./config.ts";

/**
 * Who raises a code:
 * - `server`: the cache's own errors (domain code, the gate, the proxy), over HTTP and service
 *   bindings alike;
 * - `trpc`: tRPC's HTTP layer, refusing a request before any procedure runs (HTTP only);
 * - `sdk`: the SDK, about a call that got no answer it could use (no HTTP status, `status: 0`).
 */
export type ErrorRaiser = "server" | "trpc" | "sdk";

export interface ErrorCodeSpec {
  /** The HTTP status the code travels with; null for the SDK's codes that no response carries. */
  status: number | null;
  raisedBy: ErrorRaiser;
  /** The same call may succeed later (the SDK queues such mutations and replays them). */
  retryable: boolean;
  /** Answers with this code carry `Retry-After` (see `retryAfterHeader`). */
  retryAfter: boolean;
}

/** Every error code, in the order a bare HTTP status is looked up (the server's codes first). */
export const ERROR_CODES = {
  BAD_REQUEST: { status: 400, raisedBy: "server", retryable: false, retryAfter: false },
  UNAUTHORIZED: { status: 401, raisedBy: "server", retryable: false, retryAfter: false },
  FORBIDDEN: { status: 403, raisedBy: "server", retryable: false, retryAfter: false },
  NOT_FOUND: { status: 404, raisedBy: "server", retryable: false, retryAfter: false },
  CONFLICT: { status: 409, raisedBy: "server", retryable: false, retryAfter: false },
  PAYLOAD_TOO_LARGE: { status: 413, raisedBy: "server", retryable: false, retryAfter: false },
  TOO_MANY_REQUESTS: { status: 429, raisedBy: "server", retryable: true, retryAfter: true },
  INTERNAL_SERVER_ERROR: { status: 500, raisedBy: "server", retryable: false, retryAfter: false },
  NOT_IMPLEMENTED: { status: 501, raisedBy: "server", retryable: false, retryAfter: false },
  BAD_GATEWAY: { status: 502, raisedBy: "server", retryable: true, retryAfter: false },
  SERVICE_UNAVAILABLE: { status: 503, raisedBy: "server", retryable: true, retryAfter: false },
  GATEWAY_TIMEOUT: { status: 504, raisedBy: "server", retryable: true, retryAfter: false },
  PARSE_ERROR: { status: 400, raisedBy: "trpc", retryable: false, retryAfter: false },
  METHOD_NOT_SUPPORTED: { status: 405, raisedBy: "trpc", retryable: false, retryAfter: false },
  PRECONDITION_FAILED: { status: 412, raisedBy: "trpc", retryable: false, retryAfter: false },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, raisedBy: "trpc", retryable: false, retryAfter: false },
  UNPROCESSABLE_CONTENT: { status: 422, raisedBy: "trpc", retryable: false, retryAfter: false },
  CLIENT_CLOSED_REQUEST: { status: 499, raisedBy: "trpc", retryable: false, retryAfter: false },
  /** No answer at all. */
  NETWORK_ERROR: { status: null, raisedBy: "sdk", retryable: true, retryAfter: false },
  /** The call's `timeoutMs` passed (status 0), or a server or proxy answered 408. */
  TIMEOUT: { status: 408, raisedBy: "sdk", retryable: true, retryAfter: false },
  /** The caller's signal. */
  ABORTED: { status: null, raisedBy: "sdk", retryable: false, retryAfter: false },
  /** An invalidation ended in `failed` and `done` was asked to throw. */
  JOB_FAILED: { status: null, raisedBy: "sdk", retryable: false, retryAfter: false },
  /**
   * A mutation that had to be queued could not be saved (storage full, no permission, no
   * IndexedDB), so it is not queued; or a queued entry left the storage without a result.
   */
  QUEUE_STORAGE_FAILED: { status: null, raisedBy: "sdk", retryable: false, retryAfter: false },
  /** The offline queue already holds `maxQueued` mutations; this one is not queued. */
  QUEUE_FULL: { status: null, raisedBy: "sdk", retryable: false, retryAfter: false },
  /**
   * A queued mutation waited longer than `replayWindowMs`, so the server may have forgotten its
   * idempotency key; it was moved to the dead letters instead of being replayed.
   */
  EXPIRED: { status: null, raisedBy: "sdk", retryable: false, retryAfter: false },
} as const satisfies Record<string, ErrorCodeSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes the cache itself raises (server/src/errors.ts `CacheError`). */
export type ServerErrorCode = { [C in ErrorCode]: (typeof ERROR_CODES)[C]["raisedBy"] extends "server" ? C : never }[ErrorCode];

const key = z.string();
const count = z.number().int().min(0);

/**
 * What each of the server's codes puts in `data.details` (an RPC error's `data`), when it says
 * more than its message. A code missing here carries no details.
 */
export const ERROR_DETAILS = {
  /** A key the origin cannot address, or an idempotency key reused by another job. */
  BAD_REQUEST: z.object({ key, jobId: z.string() }).partial(),
  /** The token lacks a scope, or may not use a namespace. */
  FORBIDDEN: z.object({ tokenId: z.string(), missingScope: tokenScope.optional(), namespace: z.string().optional() }),
  /** An unknown job. */
  NOT_FOUND: z.object({ namespace: z.string(), id: z.string() }),
  /** `ifVersion` did not match. */
  CONFLICT: z.object({ key, currentVersion: z.number().int(), expectedVersion: z.number().int() }),
  /** A value over its namespace's `maxValueBytes` (a request body over the bound carries none). */
  PAYLOAD_TOO_LARGE: z.object({ size: count, maxValueBytes: count }),
  /** How long to wait; the same number is in `Retry-After`. */
  TOO_MANY_REQUESTS: z.object({ retryAfterSeconds: z.number().int().min(1), namespace: z.string().optional() }),
  /** The origin (or the main database) failed for this key. */
  BAD_GATEWAY: z.object({ key, originStatus: z.number().int().optional(), maxBodyBytes: count.optional() }),
  /** The origin did not answer this key in time. */
  GATEWAY_TIMEOUT: z.object({ key }),
} satisfies Partial<Record<ServerErrorCode, z.ZodObject>>;

/** The details a code carries (`never` for a code that carries none). */
export type ErrorDetails<C extends ErrorCode = ErrorCode> = C extends keyof typeof ERROR_DETAILS
  ? z.output<(typeof ERROR_DETAILS)[C]>
  : never;

/** One problem with one input field, as validation reported it (`data.issues`). */
export const errorIssue = z.object({
  path: z.array(z.union([z.string(), z.number()])),
  message: z.string(),
  code: z.string(),
});

/**
 * An error answer, in tRPC's JSON shape (v11, no transformer): the answer of a whole request, or
 * one item of a batch. `data.code` and `data.httpStatus` are authoritative; `code` is tRPC's
 * JSON-RPC number, which several codes share.
 */
export const errorEnvelope = z.object({
  error: z.object({
    message: z.string(),
    code: z.number().int(),
    data: z.object({
      code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
      httpStatus: z.number().int(),
      /** The procedure, when the error belongs to one call. */
      path: z.string().optional(),
      /** A server error's request id, also in its message and in `X-Request-Id`. */
      requestId: z.string().optional(),
      details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
      issues: z.array(errorIssue).optional(),
    }),
  }),
});

export type ErrorEnvelope = z.output<typeof errorEnvelope>;
export type ErrorIssue = z.output<typeof errorIssue>;

/**
 * RFC 9110 §10.2.3: an answer whose errors ask the caller to wait (`details.retryAfterSeconds`)
 * says so in `Retry-After`, in whole seconds (rounded up); in a batch, the longest wait wins.
 */
export function retryAfterHeader(waitsSeconds: readonly number[]): string | undefined {
  return waitsSeconds.length === 0 ? undefined : String(Math.ceil(Math.max(...waitsSeconds)));
}
