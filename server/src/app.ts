/** The Worker's HTTP surface: health, tRPC at /trpc, the read-through proxy at /r. */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { Hono } from "hono";
import { authenticate, type AuthVariables } from "./auth/authenticate.ts";
import { authorize } from "./auth/principal.ts";
import { loadTokens } from "./auth/tokens.ts";
import { loadConfig, maxRequestBytes, namespaceSettings } from "./config/load-config.ts";
import { CacheError } from "./errors.ts";
import { limitBody } from "./http/body-limit.ts";
import { corsFromConfig } from "./http/cors.ts";
import { jsonError, jsonErrorFrom } from "./http/json-error.ts";
import { requestLog } from "./http/request-log.ts";
import { readThrough } from "./proxy/read-through.ts";
import { responseMeta } from "./trpc/response-meta.ts";
import { fastGet } from "./trpc/fast-get.ts";
import { appRouter } from "./trpc/router.ts";
import procedureSchemas from "@cache-sync/contracts/schema/procedures.json";

export const app = new Hono<{ Bindings: Env; Variables: AuthVariables }>();

app.use("*", requestLog);
app.use("*", corsFromConfig);

app.get("/health", (c) => {
  try {
    loadConfig(c.env.CACHE_CONFIG);
    return c.json({ ok: true });
  } catch (error) {
    if (error instanceof CacheError) return c.json({ ok: false, error: error.message }, 503);
    throw error;
  }
});

// The JSON Schema of every procedure, for clients in other languages (the SDK ships the same file).
app.get("/schema.json", (c) => c.json(procedureSchemas, 200, { "cache-control": "public, max-age=300" }));

// Oversized bodies are refused before anything reads them; then the caller is identified and rate limited.
app.use("/trpc/*", (c, next) => limitBody(() => maxRequestBytes(loadConfig(c.env.CACHE_CONFIG)))(c, next));
app.use("/trpc/*", authenticate);
app.use("/r/*", authenticate);

// The hottest call gets a short path; everything it does not handle continues to tRPC.
app.get("/trpc/get", fastGet);

app.all("/trpc/*", (c) =>
  fetchRequestHandler({
    endpoint: "/trpc",
    req: c.req.raw,
    router: appRouter,
    allowMethodOverride: false,
    responseMeta,
    maxBatchSize: loadConfig(c.env.CACHE_CONFIG).maxBatchSize,
    createContext: () => ({
      env: c.env,
      config: loadConfig(c.env.CACHE_CONFIG),
      request: c.req.raw,
      principal: c.get("principal"),
      tokensConfigured: loadTokens(c.env.CACHE_TOKENS).length > 0,
      waitUntil: (promise: Promise<unknown>) => c.executionCtx.waitUntil(promise),
    }),
    onError: ({ error, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR" && !(error.cause instanceof CacheError)) {
        console.error(JSON.stringify({ level: "error", event: "procedure_failed", path, error: String(error.cause ?? error) }));
      }
    },
  }),
);

// Keys may contain "/", so the key parameter takes the rest of the path.
app.get("/r/:namespace/:key{.+}", (c) => {
  const config = loadConfig(c.env.CACHE_CONFIG);
  return readThrough(c, { env: c.env, config }, (namespace) =>
    authorize(c.get("principal"), "read", namespace, namespaceSettings(config, namespace), {
      action: "the read-through proxy",
      publicReadAllowed: true,
      anyTokensConfigured: loadTokens(c.env.CACHE_TOKENS).length > 0,
    }),
  );
});

app.notFound((c) => jsonError("NOT_FOUND", `no route for ${c.req.method} ${new URL(c.req.url).pathname}`));

app.onError((error) => {
  if (error instanceof CacheError) return jsonErrorFrom(error);
  console.error(JSON.stringify({ level: "error", event: "unhandled", error: String(error) }));
  return jsonError("INTERNAL_SERVER_ERROR", "internal error; the server logged the cause");
});
