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
export const noSniff: MiddlewareHandler = async (c, next) => {
  await next();
  setResponseHeader(c, "X-Content-Type-Options", "nosniff");
};
