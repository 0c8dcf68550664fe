/**
 * The one boundary where errors become tRPC errors. Domain errors keep their code and message;
 * anything else is an INTERNAL_SERVER_ERROR whose cause is logged, never sent.
 */
import { TRPCError, type TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { ZodError } from "zod";
import type { ErrorDetails } from "@cache-sync/contracts";
import { CacheError, publicServerMessage, type ErrorCode } from "../errors.ts";

const TRPC_CODE: Record<ErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  BAD_GATEWAY: "BAD_GATEWAY",
  GATEWAY_TIMEOUT: "GATEWAY_TIMEOUT",
  NOT_IMPLEMENTED: "NOT_IMPLEMENTED",
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
};

export function toTrpcError(error: CacheError): TRPCError {
  return new TRPCError({ code: TRPC_CODE[error.code], message: error.message, cause: error });
}

/** Runs a procedure body, turning domain errors into tRPC errors with the same code. */
export async function translated<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CacheError) throw toTrpcError(error);
    throw error;
  }
}

export interface ErrorExtras {
  issues?: { path: (string | number)[]; message: string; code: string }[];
  details?: ErrorDetails;
}

/** The extra `data` a caller gets: zod issues for validation errors, domain context for others. */
export function errorExtras(error: TRPCError): ErrorExtras {
  const cause = error.cause;
  if (cause instanceof ZodError) {
    return {
      issues: cause.issues.map((issue) => ({
        path: issue.path.map((part) => (typeof part === "symbol" ? String(part) : part)),
        message: issue.message,
        code: issue.code,
      })),
    };
  }
  if (cause instanceof CacheError && cause.details) return { details: cause.details };
  return {};
}

/**
 * Messages a caller may see. A server error (5xx) says what failed in general terms and the
 * request id its log line carries (errors.ts `publicServerMessage`), so internals never leak.
 */
export function publicMessage(error: TRPCError, httpStatus: number, requestId: string | undefined): string {
  if (error.cause instanceof ZodError) return describeZodError(error.cause);
  if (httpStatus < 500) return error.message;
  // tRPC's own 5xx (no domain cause) say nothing internal either.
  const cause = error.cause instanceof CacheError ? error.cause : error.code === "INTERNAL_SERVER_ERROR" ? error.cause : undefined;
  const text = cause === undefined ? error.message : publicServerMessage(cause);
  return requestId === undefined ? text : `${text} (request id ${requestId})`;
}

/** "key: key must not be empty; ttlMs: Too small …": one line naming every bad field. */
export function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}
