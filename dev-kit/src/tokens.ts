/** Random bearer tokens for one e2e run, and the CACHE_TOKENS value (hashes only) that configures them. */
import { createHash, randomBytes } from "node:crypto";
import type { TokenConfig, TokenScope } from "@cache-sync/contracts";

export interface IssuedToken {
  id: string;
  token: string;
  config: TokenConfig;
}

/** Every token issued in this process, so each server's output can be checked for all of them. */
const issued = new Set<string>();

/** How many issued tokens appear in `text` (a server's output); 0 is the only right answer. */
export function leakedTokens(text: string): number {
  return [...issued].filter((token) => text.includes(token)).length;
}

export function issueToken(id: string, scopes: TokenScope[], namespaces: string[]): IssuedToken {
  const token = `cs_test_${randomBytes(18).toString("base64url")}`;
  issued.add(token);
  return { id, token, config: { id, sha256: createHash("sha256").update(token).digest("hex"), scopes, namespaces } };
}

export function cacheTokensVar(tokens: IssuedToken[]): string {
  return JSON.stringify(tokens.map((issued) => issued.config));
}

export const bearer = (issued: IssuedToken) => ({ authorization: `Bearer ${issued.token}` });
