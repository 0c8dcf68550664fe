/** Headers every answer of the Worker carries, whatever produced it. */
import type { Context, MiddlewareHandler } from "hono";

/** Sets a header on the response; one with immutable headers (passed through from a fetch) is copied first. */
export function setResponseHeader(c: Context, name: string, value: string): void {
  try {
    c.res.headers.set(name, value);
  } catch {
    c.res = new Response(c.res.body, c.res);
    c.res.headers.set(name, value);
  }
}

/**
 * `X-Content-Type-Options: nosniff`: a browser must take every answer as the type it says (JSON
 * stays JSON, never sniffed into a script or a page). Static assets get it from `_headers`.
 */
export const defaultResponseHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  setResponseHeader(c, "X-Content-Type-Options", "nosniff");
  // RFC 9111: an answer that says nothing may still be stored (a 404 heuristically). Only routes
  // that mean to be cached say how (/r, /schema.json); tRPC, errors and health are never stored.
  if (!c.res.headers.has("Cache-Control")) setResponseHeader(c, "Cache-Control", "no-store");
};
