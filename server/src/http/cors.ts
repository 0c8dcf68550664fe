/**
 * CORS for browser clients, with allowed origins from `CACHE_CONFIG.corsOrigins` (none by
 * default). Preflights are answered here, before they could reach tRPC (which would 405 them).
 *
 * Only a request with an `Origin` header is a cross-origin request a browser will check, so only
 * those pay for the middleware: SDKs in Node, other Workers and curl send none. Their answers still
 * say `Vary: Origin` when origins are configured, so a shared cache never hands a browser an answer
 * made without its CORS headers.
 */
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { loadConfig } from "../config/load-config.ts";

const withCors: MiddlewareHandler<{ Bindings: Env }> = cors({
  origin: (origin, c) => {
    const allowed = allowedOrigins(c.env.CACHE_CONFIG);
    if (allowed.includes("*")) return origin || "*";
    return allowed.some((entry) => new URL(entry).origin === origin) ? origin : null;
  },
  allowMethods: ["GET", "POST", "OPTIONS"],
  allowHeaders: ["Authorization", "Content-Type", "If-None-Match", "trpc-accept"],
  exposeHeaders: ["X-Cache", "ETag", "Age", "Cache-Tag", "Retry-After", "Server-Timing", "X-Request-Id"],
  maxAge: 600,
});

export const corsFromConfig: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  if (c.req.header("Origin") !== undefined) return withCors(c, next);
  await next();
  if (allowedOrigins(c.env.CACHE_CONFIG).length > 0) c.header("Vary", "Origin", { append: true });
};

/** The configured origins; none while the config is invalid (the route then answers why, with 503). */
function allowedOrigins(rawConfig: unknown): string[] {
  try {
    return loadConfig(rawConfig).corsOrigins;
  } catch {
    return [];
  }
}
