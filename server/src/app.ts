/** The Worker's HTTP surface: health, tRPC at /trpc, the read-through proxy at /r. */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { Hono } from "hono";
import type { AppEnv } from "./app-env.ts";
import { authenticate } from "./auth/authenticate.ts";
import { authorize } from "./auth/principal.ts";
import { loadTokens } from "./auth/tokens.ts";
import { loadConfig, namespaceSettings } from "./config/load-config.ts";
import { CacheError, isServerError } from "./errors.ts";
import { corsFromConfig } from "./http/cors.ts";
import { health } from "./http/health.ts";
import { logServerError, renderError } from "./http/render-error.ts";
import { rawPath } from "./http/raw-path.ts";
import { requestLog } from "./http/request-log.ts";
import { defaultResponseHeaders } from "./http/response-headers.ts";
import { parseProxyPath } from "./proxy/proxy-path.ts";
import { readThrough } from "./proxy/read-through.ts";
import { fastGet } from "./trpc/fast-get.ts";
import { trpcGate } from "./trpc/gate.ts";
import { responseMeta } from "./trpc/response-meta.ts";
import { appRouter } from "./trpc/router.ts";
import procedureSchemas from "@cache-sync/contracts/schema/procedures.json";

export const app = new Hono<AppEnv>();

app.use("*", defaultResponseHeaders);
app.use("*", requestLog);
app.use("*", corsFromConfig);

app.get("/health", health);

// The JSON Schema of every procedure, for clients in other languages (the SDK ships the same file).
app.get("/schema.json", (c) => c.json(procedureSchemas, 200, { "cache-control": "public, max-age=300" }));

// Identity, rate limit and scope before any body is read; then the input, bounded, and its namespaces.
app.use("/trpc/*", trpcGate);
app.use("/r/*", authenticate);

// The hottest call gets a short path; everything it does not handle continues to tRPC.
app.get("/trpc/get", fastGet);

app.all("/trpc/*", (c) => {
  const body = c.get("trpcBody");
  // The gate consumed a mutation's body to check its namespaces: tRPC gets the same text.
  const request = body === undefined ? c.req.raw : withBody(c.req.raw, body);
  const config = loadConfig(c.env.CACHE_CONFIG);
  const requestId = c.get("requestId");
  return fetchRequestHandler({
    endpoint: "/trpc",
    req: request,
    router: appRouter,
    allowMethodOverride: false,
    responseMeta,
    maxBatchSize: config.maxBatchSize,
    createContext: () => ({
      env: c.env,
      config,
      request,
      principal: c.get("principal"),
      tokensConfigured: loadTokens(c.env.CACHE_TOKENS).length > 0,
      waitUntil: (promise: Promise<unknown>) => c.executionCtx.waitUntil(promise),
      requestId,
    }),
    // A server error's caller got its code and the request id; the log line gets the whole story.
    onError: ({ error, path }) => {
      if (error.cause instanceof CacheError ? isServerError(error.cause.code) : error.code === "INTERNAL_SERVER_ERROR") {
        logServerError(requestId, error.cause ?? error, path);
      }
    },
  });
});

/** The request again, with a body already read as text (its length may differ: not-UTF-8 bytes were replaced). */
function withBody(request: Request, body: string): Request {
  const headers = new Headers(request.headers);
  headers.delete("content-length");
  return new Request(request.url, { method: request.method, headers, body });
}

app.get("/r/*", (c) => {
  const path = parseProxyPath(rawPath(c.req.url));
  if (path === undefined) throw new CacheError("NOT_FOUND", "read-through paths are /r/{namespace}/{key}");
  const config = loadConfig(c.env.CACHE_CONFIG);
  return readThrough(path, c.req.raw.headers, { env: c.env, config }, (namespace) =>
    authorize(c.get("principal"), "read", namespace, namespaceSettings(config, namespace), {
      action: "the read-through proxy",
      publicReadAllowed: true,
      anyTokensConfigured: loadTokens(c.env.CACHE_TOKENS).length > 0,
    }),
  );
});

app.notFound((c) => {
  throw new CacheError("NOT_FOUND", `no route for ${c.req.method} ${new URL(c.req.url).pathname}`);
});

app.onError((error, c) => renderError(c, error));
