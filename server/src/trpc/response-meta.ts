/**
 * Response headers tRPC does not set by itself: `Retry-After` for errors that ask the caller to
 * wait (the contract's rule, `retryAfterHeader`: in a batch, the longest wait wins).
 */
import { retryAfterHeader } from "@cache-sync/contracts";
import type { TRPCError } from "@trpc/server";
import { retryAfterSeconds } from "../errors.ts";

export function responseMeta({ errors }: { errors: TRPCError[] }): { headers?: Record<string, string> } {
  const retryAfter = retryAfterHeader(errors.flatMap((error) => retryAfterSeconds(error.cause)));
  return retryAfter === undefined ? {} : { headers: { "Retry-After": retryAfter } };
}
