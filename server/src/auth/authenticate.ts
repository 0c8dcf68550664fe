/**
 * The hono middleware in front of /r: identifies the caller (401/429 for an unknown token) and
 * applies the rate limit; the route then checks the namespace. /trpc has its own gate
 * (trpc/gate.ts), which also counts batched calls and checks scopes before reading a body.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env.ts";
import { clientIp, identify } from "./identify.ts";
import { enforceRateLimit } from "./rate-limit.ts";

export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const ip = clientIp(c.req.header("CF-Connecting-IP"));
  const principal = await identify(c.env, { authorization: c.req.header("Authorization"), clientIp: ip });
  await enforceRateLimit(c.env, principal, ip);
  c.set("principal", principal);
  await next();
};
