/**
 * `GET /health`: ok or not ok, for load balancers and uptime checks, which need no more. Why it
 * is not ok (which part of CACHE_CONFIG or CACHE_TOKENS failed validation) is for the operator:
 * it is logged, and answered to an admin token only.
 */
import type { Context } from "hono";
import type { AppEnv } from "../app-env.ts";
import { clientIp, identify } from "../auth/identify.ts";
import { loadTokens } from "../auth/tokens.ts";
import { loadConfig } from "../config/load-config.ts";
import { CacheError } from "../errors.ts";

export async function health(c: Context<AppEnv>): Promise<Response> {
  const problems = [() => loadConfig(c.env.CACHE_CONFIG), () => loadTokens(c.env.CACHE_TOKENS)].flatMap((check) => {
    try {
      check();
      return [];
    } catch (error) {
      if (error instanceof CacheError) return [error.message];
      throw error;
    }
  });
  // A presented token is checked like on every route (an unknown one is refused and counted).
  const admin = c.req.header("Authorization") !== undefined && (await isAdmin(c));
  if (problems.length === 0) return c.json({ ok: true });
  console.error(JSON.stringify({ level: "error", event: "health_failed", requestId: c.get("requestId"), problems }));
  return c.json(admin ? { ok: false, problems } : { ok: false }, 503);
}

/** Whether the caller holds an admin token; null-safe while CACHE_TOKENS is invalid (nobody is identified then). */
async function isAdmin(c: Context<AppEnv>): Promise<boolean> {
  let principal;
  try {
    principal = await identify(c.env, {
      authorization: c.req.header("Authorization"),
      clientIp: clientIp(c.req.header("CF-Connecting-IP")),
    });
  } catch (error) {
    if (error instanceof CacheError && error.code === "INTERNAL_SERVER_ERROR") return false;
    throw error;
  }
  c.set("principal", principal);
  return principal?.scopes.includes("admin") === true;
}
