/**
 * Response headers tRPC does not set by itself. A TOO_MANY_REQUESTS carries how long to wait
 * (`retryAfterSeconds` in its data); RFC 9110 §10.2.3 puts that in `Retry-After`, the header
 * clients and proxies actually read. In a batch, the longest wait wins.
 */
import type { TRPCError } from "@trpc/server";
import { CacheError } from "../errors.ts";

export function responseMeta({ errors }: { errors: TRPCError[] }): { headers?: Record<string, string> } {
  const waits = errors.flatMap((error) => {
    const cause = error.cause;
    const seconds = cause instanceof CacheError ? cause.details?.retryAfterSeconds : undefined;
    return typeof seconds === "number" ? [seconds] : [];
  });
  return waits.length === 0 ? {} : { headers: { "Retry-After": String(Math.ceil(Math.max(...waits))) } };
}
