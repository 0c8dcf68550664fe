/**
 * The one description of a zod validation failure, for every caller that validates: tRPC's
 * inputs (trpc/errors.ts), the service binding, the coordinator, the proxy, and the
 * `CACHE_CONFIG` / `CACHE_TOKENS` secrets. Lives outside trpc/ and http/ so domain code can use it.
 */
import type { ErrorIssue } from "@cache-sync/contracts";
import type { z } from "zod";
import { CacheError } from "../errors.ts";

/**
 * "key: key must not be empty; ttlMs: Too small …": one line naming every bad field. An issue
 * about the whole value has no path; `root` names it (the config says "(root)"), else it is bare.
 */
export function describeZodError(error: z.ZodError, options: { root?: string } = {}): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.join(".") || options.root;
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join("; ");
}

/** The issues as callers get them in `data.issues` (the contract's `errorIssue`). */
export function zodIssues(error: z.ZodError): ErrorIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((part) => (typeof part === "symbol" ? String(part) : part)),
    message: issue.message,
    code: issue.code,
  }));
}

/** `schema`'s output for `input`, or a BAD_REQUEST naming every bad field. */
export function validated<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new CacheError("BAD_REQUEST", describeZodError(parsed.error));
  return parsed.data;
}
