/** Calls the Worker's tRPC endpoint over HTTP from inside workerd, as any client would. */
import { exports } from "cloudflare:workers";

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TrpcErrorBody {
  error: { message: string; code: number; data: { code: string; httpStatus: number; issues?: unknown[]; details?: Record<string, unknown>; stack?: unknown } };
}

export async function send(path: string, init?: RequestInit): Promise<HttpResult<any>> {
  const response = await exports.default.fetch(new Request(`http://cache.test${path}`, init));
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === "" ? null : JSON.parse(text);
  } catch {
    // not JSON: keep the text so the assertion shows it
  }
  return { status: response.status, body, headers: response.headers };
}

export function query(procedure: string, input?: unknown): Promise<HttpResult<any>> {
  const search = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  return send(`/trpc/${procedure}${search}`);
}

export function mutate(procedure: string, input: unknown): Promise<HttpResult<any>> {
  return send(`/trpc/${procedure}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(input),
  });
}

/** The `data` of a successful call; fails the test with the error otherwise. */
export async function ok<T = any>(call: Promise<HttpResult<any>>): Promise<T> {
  const { status, body } = await call;
  if (status !== 200) throw new Error(`expected 200, got ${status}: ${JSON.stringify(body)}`);
  return body.result.data as T;
}
