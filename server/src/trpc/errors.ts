/**
 * Where errors become tRPC errors. Procedures and middlewares throw `CacheError`; the base
 * procedure's middleware (`domainErrors`, trpc/init.ts) gives each the tRPC code of the same name,
 * and the error formatter (trpc/init.ts) renders it with these helpers. Anything else is an
 * INTERNAL_SERVER_ERROR whose cause is logged, never sent.
 */
import type { ErrorDetails, ErrorIssue } from "@cache-sync/contracts";
import { TRPCError, type TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { ZodError } from "zod";
import { CacheError, publicServerMessage, type ErrorCode } from "../errors.ts";
import { describeZodError, zodIssues } from "../validation/zod-errors.ts";

/** The cache's codes are tRPC's codes (this fails to compile if the contract adds one tRPC lacks). */
const trpcCode = (code: ErrorCode): TRPC_ERROR_CODE_KEY => code;

export function toTrpcError(error: CacheError): TRPCError {
  return new TRPCError({ code: trpcCode(error.code), message: error.message, cause: error });
}

export interface ErrorExtras {
  issues?: ErrorIssue[];
  details?: ErrorDetails;
}

/** The extra `data` a caller gets: zod issues for validation errors, domain context for others. */
export function errorExtras(error: TRPCError): ErrorExtras {
  const cause = error.cause;
  if (cause instanceof ZodError) return { issues: zodIssues(cause) };
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
