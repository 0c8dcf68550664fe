/**
 * Renders an error thrown anywhere in the hono app (STYLE: throw, render once). Client errors
 * keep their message and details; a server error (5xx) tells the caller its code, the part of
 * the message meant for callers and the request id, and writes the whole story to the log.
 */
import type { Context } from "hono";
import type { AppEnv } from "../app-env.ts";
import { CacheError, isServerError, publicServerMessage } from "../errors.ts";
import { jsonError } from "./json-error.ts";

export function renderError(c: Context<AppEnv>, error: unknown, options: { path?: string } = {}): Response {
  const requestId = c.get("requestId");
  if (!(error instanceof CacheError) || isServerError(error.code)) {
    logServerError(requestId, error, options.path);
    const code = error instanceof CacheError ? error.code : "INTERNAL_SERVER_ERROR";
    const details = error instanceof CacheError ? error.details : undefined;
    return jsonError(code, `${publicServerMessage(error)} (request id ${requestId})`, { ...options, details, requestId });
  }
  const retryAfter = error.details?.retryAfterSeconds;
  return jsonError(error.code, error.message, {
    ...options,
    ...(error.details && { details: error.details }),
    ...(retryAfter !== undefined && { headers: { "Retry-After": String(retryAfter) } }),
  });
}

/** The log line a server error leaves: its code, full message and the request id the caller got. */
export function logServerError(requestId: string | undefined, error: unknown, path?: string): void {
  const line = {
    level: "error",
    event: "server_error",
    requestId,
    ...(path !== undefined && { path }),
    code: error instanceof CacheError ? error.code : "INTERNAL_SERVER_ERROR",
    error: error instanceof Error ? error.message : String(error),
  };
  console.error(JSON.stringify(line));
}
