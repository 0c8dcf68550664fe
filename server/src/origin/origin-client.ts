/**
 * Loads one key from a namespace's origin: the URL template with `{key}` URL-encoded, a timeout,
 * configured headers. Origins are JSON APIs: a 404 is "no such key", a body that is not JSON
 * or any other status is an origin failure (BAD_GATEWAY), a timeout is GATEWAY_TIMEOUT.
 */
import { utf8Bytes, type JsonValue, type OriginConfig } from "@cache-sync/contracts";
import { CacheError } from "../errors.ts";

export type OriginResult =
  /** `version`: set when the source versions its data (the main database); origins do not. */
  | { kind: "found"; value: JsonValue; json: string; size: number; tags: string[]; version?: number }
  | { kind: "not-found" };

export function originUrl(template: string, key: string): string {
  return template.replaceAll("{key}", encodeURIComponent(key));
}

export async function fetchFromOrigin(origin: OriginConfig, key: string): Promise<OriginResult> {
  const signal = AbortSignal.timeout(origin.timeoutMs);
  let response: Response;
  let body: string;
  try {
    response = await fetch(originUrl(origin.url, key), {
      headers: { accept: "application/json", ...origin.headers },
      signal,
    });
    body = await response.text();
  } catch (error) {
    if (signal.aborted) {
      throw new CacheError("GATEWAY_TIMEOUT", `origin did not answer for key "${key}" within ${origin.timeoutMs} ms`, { key });
    }
    throw new CacheError("BAD_GATEWAY", `origin unreachable for key "${key}": ${(error as Error).message}`, { key });
  }
  if (response.status === 404) return { kind: "not-found" };
  if (!response.ok) {
    throw new CacheError("BAD_GATEWAY", `origin answered ${response.status} for key "${key}"`, {
      key,
      originStatus: response.status,
    });
  }
  let value: JsonValue;
  try {
    value = JSON.parse(body) as JsonValue;
  } catch {
    throw new CacheError("BAD_GATEWAY", `origin returned a body that is not JSON for key "${key}"`, { key });
  }
  // Canonical text (no insignificant whitespace): what is stored and what sizes are counted on.
  const json = JSON.stringify(value);
  return { kind: "found", value, json, size: utf8Bytes(json), tags: parseCacheTags(response.headers) };
}

/** Tags the origin attaches to its answer (`Cache-Tag: a,b`), so tag invalidation reaches loaded entries. */
function parseCacheTags(headers: Headers): string[] {
  const header = headers.get("cache-tag");
  if (!header) return [];
  const tags = header
    .split(",")
    .map((tag) => tag.trim())
    .filter((tag) => tag.length > 0 && tag.length <= 128);
  return [...new Set(tags)].slice(0, 32);
}
