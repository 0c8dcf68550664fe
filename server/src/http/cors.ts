/**
 * CORS for browser clients, with allowed origins from `CACHE_CONFIG.corsOrigins` (none by
 * default). Preflights are answered here, before they could reach tRPC (which would 405 them).
 */
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { loadConfig } from "../config/load-config.ts";

export const corsFromConfig: MiddlewareHandler<{ Bindings: Env }> = (c, next) =>
  cors({
    origin: (origin) => {
      const allowed = allowedOrigins(c.env.CACHE_CONFIG);
      if (allowed.includes("*")) return origin || "*";
      return allowed.some((entry) => new URL(entry).origin === origin) ? origin : null;
    },
    allowMethods: ["GET", "POST", "OPTIONS"],
    allowHeaders: ["Authorization", "Content-Type", "If-None-Match", "trpc-accept"],
    exposeHeaders: ["X-Cache", "ETag", "Age", "Cache-Tag", "Retry-After", "Server-Timing", "X-Request-Id"],
    maxAge: 600,
  })(c, next);

/** The configured origins; none while the config is invalid (the route then answers why, with 503). */
function allowedOrigins(rawConfig: unknown): string[] {
  try {
    return loadConfig(rawConfig).corsOrigins;
  } catch {
    return [];
  }
}
