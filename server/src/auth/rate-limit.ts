/**
 * Rate limits with the Workers rate-limiting binding: per token id for authenticated calls, per
 * client IP for anonymous ones. The limits live in wrangler.jsonc (`ratelimits`), where the
 * platform needs them; `period` there is also what `Retry-After` says.
 */
import { CacheError } from "../errors.ts";
import type { Principal } from "./principal.ts";

/** Keep in step with the `period` of the ratelimits in wrangler.jsonc. */
export const RATE_LIMIT_PERIOD_SECONDS = 10;

export async function enforceRateLimit(env: Env, principal: Principal, clientIp: string): Promise<void> {
  const { success } =
    principal === null
      ? await env.ANON_RATE_LIMITER.limit({ key: `ip:${clientIp}` })
      : await env.TOKEN_RATE_LIMITER.limit({ key: `token:${principal.id}` });
  if (success) return;
  throw new CacheError(
    "TOO_MANY_REQUESTS",
    principal === null
      ? `too many anonymous requests from this address; retry in ${RATE_LIMIT_PERIOD_SECONDS} s`
      : `too many requests for token "${principal.id}"; retry in ${RATE_LIMIT_PERIOD_SECONDS} s`,
    { retryAfterSeconds: RATE_LIMIT_PERIOD_SECONDS },
  );
}
