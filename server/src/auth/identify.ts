/**
 * Who is calling: the bearer token resolved to a configured token, or null for an anonymous
 * caller. An unknown token is a failed authentication: it counts against a per-IP limit (so
 * token guessing is bounded) and is refused with 401, or 429 once over that limit.
 */
import { CacheError } from "../errors.ts";
import type { Principal } from "./principal.ts";
import { countAuthFailure } from "./rate-limit.ts";
import { bearerToken, findToken, loadTokens } from "./tokens.ts";

export interface Credentials {
  authorization: string | undefined;
  clientIp: string;
}

export async function identify(env: Env, credentials: Credentials): Promise<Principal> {
  const presented = bearerToken(credentials.authorization);
  if (presented === undefined) return null;
  const token = presented === "" ? undefined : await findToken(presented, loadTokens(env.CACHE_TOKENS));
  if (token !== undefined) return token;
  await countAuthFailure(env, credentials.clientIp);
  throw new CacheError("UNAUTHORIZED", "unknown token: check the Authorization header");
}

/** The caller's address as the platform reports it ("local" under tests without one). */
export const clientIp = (header: string | undefined): string => header ?? "local";
