/**
 * The gate in front of tRPC: identity, rate limit and scope are decided here, in this order,
 * before any request body is read, so a caller who may not make a call never gets its body
 * parsed (an anonymous mutation is a 401, a read-only token's mutation a 403, whatever the
 * body). Only then is the input read — the body within the size bound — and the namespaces it
 * names are checked before tRPC validates anything.
 *
 * Calls tRPC refuses without reading a body (unknown procedure, wrong method, not JSON) pass
 * straight through to it, so its own errors stay the one error path for them.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env.ts";
import { clientIp, identify } from "../auth/identify.ts";
import { authorize, authorizeScope, type Principal } from "../auth/principal.ts";
import { enforceRateLimit } from "../auth/rate-limit.ts";
import { loadTokens } from "../auth/tokens.ts";
import { loadConfig, maxRequestBytes, namespaceSettings } from "../config/load-config.ts";
import { CacheError } from "../errors.ts";
import { readBoundedText } from "../http/body-limit.ts";
import { rawPath, rawQuery } from "../http/raw-path.ts";
import { procedureAccess, type ProcedureAccess } from "./procedure-access.ts";
import { callInputs, inputNamespace, parseJson, parseTrpcPath } from "./trpc-path.ts";

interface RunnableCall {
  index: number;
  name: string;
  access: ProcedureAccess;
}

export const trpcGate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const config = loadConfig(c.env.CACHE_CONFIG);
  // The query as tRPC will read it (URLSearchParams), so the gate checks exactly the input tRPC runs.
  // Read from the URL's text: the runtime has already normalized it, and a URL object per call costs.
  const href = c.req.url;
  const query = new URLSearchParams(rawQuery(href));
  const call = parseTrpcPath(rawPath(href), query.get("batch") === "1");
  c.set("trpcCall", call);
  if (call.batch && call.names.length > config.maxBatchSize) {
    throw new CacheError("BAD_REQUEST", `a batch of ${call.names.length} calls is over maxBatchSize (${config.maxBatchSize})`);
  }
  const ip = clientIp(c.req.header("CF-Connecting-IP"));
  const principal = await identify(c.env, { authorization: c.req.header("Authorization"), clientIp: ip });
  await enforceRateLimit(c.env, principal, ip, call.names.length);
  c.set("principal", principal);

  const method = c.req.method;
  const runnable = runnableCalls(call.names, method);
  const isJson = method === "GET" || /^application\/json\b/i.test(c.req.header("Content-Type") ?? "");
  if (runnable.length === 0 || !isJson) return next();
  const anyTokensConfigured = loadTokens(c.env.CACHE_TOKENS).length > 0;
  for (const { name, access } of runnable) {
    authorizeScope(principal, access.scope, { action: name, publicReadAllowed: access.publicRead, anyTokensConfigured });
  }

  let text: string | null;
  if (method === "GET") {
    text = query.get("input");
  } else {
    text = await readBoundedText(c.req.raw, maxRequestBytes(config));
    c.set("trpcBody", text);
  }
  const parsed = parseJson(text);
  if (parsed === undefined) return next(); // not JSON: tRPC answers its parse error
  const inputs = callInputs(call, parsed.value);
  c.set("trpcInputs", inputs);
  const namespaces = runnable.map((runnableCall) => inputNamespace(inputs[runnableCall.index]));
  // Recorded first, so the log names the namespace of a call refused for it.
  c.set("namespaces", distinctDefined(namespaces));
  for (let i = 0; i < runnable.length; i++) {
    const { name, access } = runnable[i]!;
    const namespace = namespaces[i];
    // A value that is not a namespace name is left to validation, which refuses the input.
    if (namespace !== undefined && access.namespaced !== false)
      authorizeNamespace(principal, access, name, namespace, config, anyTokensConfigured);
  }
  return next();
};

/** The names once each, in order, without the undefined ones (a single call's list is built without a Set). */
function distinctDefined(names: (string | undefined)[]): string[] {
  if (names.length === 1) return names[0] === undefined ? [] : [names[0]];
  return [...new Set(names.filter((name): name is string => name !== undefined))];
}

/** Known procedures whose kind fits the method; tRPC refuses the rest (404, 405) without reading input. */
function runnableCalls(names: string[], method: string): RunnableCall[] {
  const kind = method === "GET" ? "query" : method === "POST" ? "mutation" : undefined;
  const runnable: RunnableCall[] = [];
  for (let index = 0; index < names.length; index++) {
    const name = names[index]!;
    const access = procedureAccess(name);
    if (access !== undefined && access.kind === kind) runnable.push({ index, name, access });
  }
  return runnable;
}

function authorizeNamespace(
  principal: Principal,
  access: ProcedureAccess,
  name: string,
  namespace: string,
  config: ReturnType<typeof loadConfig>,
  anyTokensConfigured: boolean,
): void {
  authorize(principal, access.scope, namespace, namespaceSettings(config, namespace), {
    action: name,
    publicReadAllowed: access.publicRead,
    anyTokensConfigured,
  });
}
