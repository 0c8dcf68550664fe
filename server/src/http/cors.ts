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
      const allowed = loadConfig(c.env.CACHE_CONFIG).corsOrigins;
      if (allowed.includes("*")) return origin || "*";
      return allowed.some((entry) => new URL(entry).origin === origin) ? origin : null;
    },
    allowMethods: ["GET", "POST", "OPTIONS"],
    allowHeaders: ["Authorization", "Content-Type", "If-None-Match", "trpc-accept"],
    exposeHeaders: ["X-Cache", "ETag", "Age", "Cache-Tag", "Retry-After", "Server-Timing", "X-Request-Id"],
    maxAge: 600,
  })(c, next);
