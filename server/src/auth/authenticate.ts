/**
 * The hono middleware in front of /trpc and /r: resolves the bearer token to a principal (401
 * for an unknown one), applies the rate limit, and leaves per-procedure checks (scope, namespace,
 * publicRead) to `authorize`, which needs the validated input.
 */
import type { MiddlewareHandler } from "hono";
import { CacheError } from "../errors.ts";
import { jsonErrorFrom } from "../http/json-error.ts";
import type { Principal } from "./principal.ts";
import { enforceRateLimit } from "./rate-limit.ts";
import { bearerToken, findToken, loadTokens } from "./tokens.ts";

export type AuthVariables = { principal: Principal };

export const authenticate: MiddlewareHandler<{ Bindings: Env; Variables: AuthVariables }> = async (c, next) => {
  try {
    const presented = bearerToken(c.req.header("Authorization"));
    let principal: Principal = null;
    if (presented !== undefined) {
      const token = presented === "" ? undefined : await findToken(presented, loadTokens(c.env.CACHE_TOKENS));
      if (token === undefined) throw new CacheError("UNAUTHORIZED", "unknown token: check the Authorization header");
      principal = token;
    }
    await enforceRateLimit(c.env, principal, c.req.header("CF-Connecting-IP") ?? "local");
    c.set("principal", principal);
  } catch (error) {
    if (!(error instanceof CacheError)) throw error;
    const response = jsonErrorFrom(error);
    const retryAfter = error.data?.retryAfterSeconds;
    if (retryAfter !== undefined) response.headers.set("Retry-After", String(retryAfter));
    return response;
  }
  await next();
};
