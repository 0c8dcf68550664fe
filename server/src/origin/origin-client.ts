/**
 * Loads one key from a namespace's origin: the URL template with `{key}` URL-encoded, a timeout,
 * configured headers. Origins are JSON APIs: a 404 is "no such key", a body that is not JSON
 * or any other status is an origin failure (BAD_GATEWAY), a timeout is GATEWAY_TIMEOUT.
 *
 * The configured headers (often credentials) go only where the template points: a key cannot
 * walk out of it (origin-key.ts), redirects are followed only within the origin's own scheme,
 * host and port (a few hops), and a body is read only up to `maxBodyBytes`.
 */
import { LIMITS, utf8Bytes, type JsonValue, type OriginConfig } from "@cache-sync/contracts";
import { CacheError } from "../errors.ts";
import { assertOriginSafeKey } from "./origin-key.ts";
import { readCappedText } from "./capped-body.ts";

export type OriginResult =
  /** `version`: set when the source versions its data (the main database); origins do not. */
  { kind: "found"; json: string; size: number; tags: string[]; version?: number } | { kind: "not-found" };

/** Same-origin redirects followed before the answer counts as an origin failure. */
const MAX_REDIRECTS = 3;

export function originUrl(template: string, key: string): string {
  assertOriginSafeKey(key);
  let encoded: string;
  try {
    encoded = encodeURIComponent(key);
  } catch {
    // Input validation refuses such keys; a key learned elsewhere (a tag's index) is refused here too.
    throw new CacheError("BAD_REQUEST", "key must be valid Unicode (it holds a lone surrogate)", {
      key: key.replace(/[\uD800-\uDFFF]/g, "\uFFFD"),
    });
  }
  return template.replaceAll("{key}", encoded);
}

export async function fetchFromOrigin(origin: OriginConfig, key: string): Promise<OriginResult> {
  const maxBytes = origin.maxBodyBytes ?? LIMITS.valueMaxBytes;
  const url = originUrl(origin.url, key);
  const signal = AbortSignal.timeout(origin.timeoutMs);
  let response: Response;
  let body: string;
  try {
    response = await fetchWithinOrigin(url, origin, signal, key);
    if (response.status === 404) {
      await response.body?.cancel();
      return { kind: "not-found" };
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new CacheError("BAD_GATEWAY", `origin answered ${response.status} for key "${key}"`, { key, originStatus: response.status });
    }
    body = await readCappedText(response, maxBytes, key);
  } catch (error) {
    if (error instanceof CacheError) throw error;
    if (signal.aborted) {
      throw new CacheError("GATEWAY_TIMEOUT", `origin did not answer for key "${key}" within ${origin.timeoutMs} ms`, { key });
    }
    // The network error's own text (hosts, addresses) is for the log only: errors.ts publicServerMessage.
    throw new CacheError("BAD_GATEWAY", `origin unreachable for key "${key}": ${(error as Error).message}`, { key });
  }
  let value: JsonValue;
  try {
    value = JSON.parse(body) as JsonValue;
  } catch {
    throw new CacheError("BAD_GATEWAY", `origin returned a body that is not JSON for key "${key}"`, { key });
  }
  // Canonical text (no insignificant whitespace): what is stored and what sizes are counted on.
  const json = JSON.stringify(value);
  return { kind: "found", json, size: utf8Bytes(json), tags: parseCacheTags(response.headers) };
}

/**
 * GET `url` with the origin's headers, following redirects by hand (`redirect: "manual"`) and
 * only to the same scheme, host and port; a redirect elsewhere is refused, never followed with
 * the configured headers.
 */
async function fetchWithinOrigin(url: string, origin: OriginConfig, signal: AbortSignal, key: string): Promise<Response> {
  const allowed = new URL(url).origin;
  let target = url;
  for (let hop = 0; ; hop++) {
    const response = await fetch(target, {
      headers: { accept: "application/json", ...origin.headers },
      redirect: "manual",
      signal,
    });
    const location = response.headers.get("location");
    if (response.status < 300 || response.status >= 400 || location === null) return response;
    await response.body?.cancel();
    let next: URL;
    try {
      next = new URL(location, target);
    } catch {
      throw new CacheError("BAD_GATEWAY", `origin redirected to an invalid location for key "${key}"`, { key });
    }
    if (next.origin !== allowed) {
      throw new CacheError("BAD_GATEWAY", `origin redirected to another host for key "${key}"; only same-origin redirects are followed`, {
        key,
      });
    }
    if (hop + 1 > MAX_REDIRECTS) {
      throw new CacheError("BAD_GATEWAY", `origin redirected more than ${MAX_REDIRECTS} times for key "${key}"`, { key });
    }
    target = next.href;
  }
}

/**
 * Tags the origin attaches to its answer (`Cache-Tag: a,b`), so tag invalidation reaches loaded
 * entries. Only tags a caller could have set are kept (printable ASCII without spaces or commas,
 * 1-128 characters): anything else could not be sent back in a header.
 */
function parseCacheTags(headers: Headers): string[] {
  const header = headers.get("cache-tag");
  if (!header) return [];
  const tags = header
    .split(",")
    .map((tag) => tag.trim())
    .filter((tag) => tag.length > 0 && tag.length <= LIMITS.tagMaxChars && LIMITS.tagPattern.test(tag));
  return [...new Set(tags)].slice(0, LIMITS.tagsPerEntry);
}
