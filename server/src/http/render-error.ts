/**
 * Renders an error thrown anywhere in the hono app (STYLE: throw, render once): hono's `onError`
 * and `notFound` call it, nothing else. Client errors keep their message and details; a server
 * error (5xx) tells the caller its code, the part of the message meant for callers and the
 * request id, and writes the whole story to the log.
 */
import { retryAfterHeader } from "@cache-sync/contracts";
import type { Context } from "hono";
import type { AppEnv } from "../app-env.ts";
import { CacheError, isServerError, publicServerMessage, retryAfterSeconds } from "../errors.ts";
import { jsonError } from "./json-error.ts";

export function renderError(c: Context<AppEnv>, error: unknown): Response {
  const requestId = c.get("requestId");
  // Set by a route that answers for one tRPC procedure (the short path), as tRPC would name it.
  const path = c.get("procedure");
  if (!(error instanceof CacheError) || isServerError(error.code)) {
    logServerError(requestId, error, path);
    const code = error instanceof CacheError ? error.code : "INTERNAL_SERVER_ERROR";
    const details = error instanceof CacheError ? error.details : undefined;
    return jsonError(code, `${publicServerMessage(error)} (request id ${requestId})`, { path, details, requestId });
  }
  const retryAfter = retryAfterHeader(retryAfterSeconds(error));
  return jsonError(error.code, error.message, {
    path,
    details: error.details,
    ...(retryAfter !== undefined && { headers: { "Retry-After": retryAfter } }),
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
