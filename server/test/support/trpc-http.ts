/** Calls the Worker's tRPC endpoint over HTTP from inside workerd, as any client would. */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { app } from "../../src/app.ts";
import { readReply } from "@cache-sync/dev-kit/http";
import { TEST_TOKENS } from "./test-tokens.ts";

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TrpcErrorBody {
  error: {
    message: string;
    code: number;
    data: { code: string; httpStatus: number; issues?: unknown[]; details?: Record<string, unknown>; stack?: unknown };
  };
}

/**
 * Sends a request to the Worker. It carries the admin token unless the request sets its own
 * Authorization header, or `token: null` asks for an anonymous call.
 */
export async function send(path: string, init: RequestInit & { token?: string | null } = {}): Promise<HttpResult<any>> {
  const { token = TEST_TOKENS.admin, ...requestInit } = init;
  const headers = new Headers(requestInit.headers);
  if (token !== null && !headers.has("authorization")) headers.set("authorization", `Bearer ${token}`);
  // The hono app the default export serves, called directly: going through `exports.default.fetch`
  // gets slower with every request a test file makes (a test-pool artefact), which load-shaped
  // tests such as the fuzzer feel.
  const ctx = createExecutionContext();
  const response = await app.fetch(new Request(`http://cache.test${path}`, { ...requestInit, headers }), env, ctx);
  await waitOnExecutionContext(ctx);
  return readReply(response);
}

export function query(procedure: string, input?: unknown, token?: string | null): Promise<HttpResult<any>> {
  const search = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  return send(`/trpc/${procedure}${search}`, { token });
}

export function mutate(procedure: string, input: unknown, token?: string | null): Promise<HttpResult<any>> {
  return send(`/trpc/${procedure}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(input),
    token,
  });
}

/** The `data` of a successful call; fails the test with the error otherwise. */
export async function ok<T = any>(call: Promise<HttpResult<any>>): Promise<T> {
  const { status, body } = await call;
  if (status !== 200) throw new Error(`expected 200, got ${status}: ${JSON.stringify(body)}`);
  return body.result.data as T;
}
