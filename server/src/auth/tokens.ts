/**
 * The `CACHE_TOKENS` secret, parsed once per isolate, and bearer-token authentication against it.
 * Only SHA-256 hashes are configured; a presented token is hashed and compared against every
 * configured hash in constant time, so neither timing nor logs reveal anything about tokens.
 */
import { cacheTokens, type TokenConfig } from "@cache-sync/contracts";
import { CacheError } from "../errors.ts";
import { describeZodError } from "../validation/zod-errors.ts";

let cached: { raw: unknown; result: TokenConfig[] | CacheError } | undefined;

export function loadTokens(raw: unknown): TokenConfig[] {
  if (cached === undefined || cached.raw !== raw) cached = { raw, result: parseTokens(raw) };
  const { result } = cached;
  if (result instanceof CacheError) throw result;
  return result;
}

function parseTokens(raw: unknown): TokenConfig[] | CacheError {
  if (raw === undefined || raw === null || raw === "") return [];
  let input = raw;
  if (typeof raw === "string") {
    try {
      input = JSON.parse(raw);
    } catch {
      return new CacheError("INTERNAL_SERVER_ERROR", "CACHE_TOKENS is invalid: it is not valid JSON");
    }
  }
  const parsed = cacheTokens.safeParse(input);
  if (parsed.success) return parsed.data;
  return new CacheError("INTERNAL_SERVER_ERROR", `CACHE_TOKENS is invalid: ${describeZodError(parsed.error, { root: "(root)" })}`);
}

const encoder = new TextEncoder();

export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/**
 * Tokens already matched in this isolate, so a client's every request does not hash its token
 * again. Bounded (oldest out first), tied to the token list it was matched against (a new
 * `CACHE_TOKENS` starts it over), and holding known tokens only: an unknown token is hashed each
 * time, so guessing cannot fill it.
 */
const MATCHED_MAX = 1_000;
let matched: { tokens: TokenConfig[]; byToken: Map<string, TokenConfig> } | undefined;

/** The configured token whose hash matches; every entry is compared, so timing does not depend on which. */
export async function findToken(presented: string, tokens: TokenConfig[]): Promise<TokenConfig | undefined> {
  if (matched?.tokens !== tokens) matched = { tokens, byToken: new Map() };
  const known = matched.byToken.get(presented);
  if (known !== undefined) return known;
  const found = await matchToken(presented, tokens);
  if (found !== undefined && matched.tokens === tokens) {
    if (matched.byToken.size >= MATCHED_MAX) matched.byToken.delete(matched.byToken.keys().next().value!);
    matched.byToken.set(presented, found);
  }
  return found;
}

async function matchToken(presented: string, tokens: TokenConfig[]): Promise<TokenConfig | undefined> {
  const digest = await sha256(presented);
  let match: TokenConfig | undefined;
  for (const token of tokens) {
    if (crypto.subtle.timingSafeEqual(digest, hexToBytes(token.sha256.toLowerCase()))) match ??= token;
  }
  return match;
}

/** `Authorization: Bearer <token>` → the token, or undefined when there is no such header. */
export function bearerToken(header: string | undefined | null): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? "";
}
