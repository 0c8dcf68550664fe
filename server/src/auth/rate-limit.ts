/**
 * Rate limits with the Workers rate-limiting binding: calls per token id for authenticated
 * callers, calls per client IP for anonymous ones, and failed authentications per client IP.
 * The limits live in wrangler.jsonc (`ratelimits`), where the platform needs them; `period` there
 * is also what `Retry-After` says.
 *
 * A tRPC batch of N calls counts N: the binding counts one per `limit()`, so it is asked N times
 * (at most `maxBatchSize`, which the gate checks first). A key trick (one call with a weight) does
 * not exist for this binding.
 */
import { CacheError } from "../errors.ts";
import type { Principal } from "./principal.ts";

/** Keep in step with the `period` of TOKEN_RATE_LIMITER and ANON_RATE_LIMITER in wrangler.jsonc. */
export const RATE_LIMIT_PERIOD_SECONDS = 10;
/** Keep in step with the `period` of AUTH_FAIL_RATE_LIMITER in wrangler.jsonc. */
export const AUTH_FAILURE_PERIOD_SECONDS = 60;

export async function enforceRateLimit(env: Env, principal: Principal, clientIp: string, calls = 1): Promise<void> {
  const limiter = principal === null ? env.ANON_RATE_LIMITER : env.TOKEN_RATE_LIMITER;
  const key = principal === null ? `ip:${clientIp}` : `token:${principal.id}`;
  // One call (the hit path) asks once, without building an array of promises.
  const allowed =
    calls <= 1
      ? (await limiter.limit({ key })).success
      : (await Promise.all(Array.from({ length: calls }, () => limiter.limit({ key })))).every((outcome) => outcome.success);
  if (allowed) return;
  throw new CacheError(
    "TOO_MANY_REQUESTS",
    principal === null
      ? `too many anonymous requests from this address; retry in ${RATE_LIMIT_PERIOD_SECONDS} s`
      : `too many requests for token "${principal.id}"; retry in ${RATE_LIMIT_PERIOD_SECONDS} s`,
    { retryAfterSeconds: RATE_LIMIT_PERIOD_SECONDS },
  );
}

/** Counts one failed authentication from `clientIp`; past the limit, refuses with 429 instead of 401. */
export async function countAuthFailure(env: Env, clientIp: string): Promise<void> {
  const { success } = await env.AUTH_FAIL_RATE_LIMITER.limit({ key: `ip:${clientIp}` });
  if (success) return;
  throw new CacheError(
    "TOO_MANY_REQUESTS",
    `too many failed authentications from this address; retry in ${AUTH_FAILURE_PERIOD_SECONDS} s`,
    { retryAfterSeconds: AUTH_FAILURE_PERIOD_SECONDS },
  );
}
