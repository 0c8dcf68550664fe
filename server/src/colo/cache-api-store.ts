/**
 * How the Cache API colo tier keeps an answer and gives it back: the answer as the Worker made it,
 * with the cache told to keep it for the shared max-age, and on the way out the answer's own
 * caching headers, its Age grown by its time in the cache, and a 304 when the reader's
 * validators match.
 */
import { notModified } from "../proxy/conditional.ts";
import type { ColoEntry } from "./colo-tier.ts";

export const COLO_CACHE_NAME = "cache-sync-colo";
/** When the tier stored an answer (epoch ms), to age it on the way out; never sent to readers. */
const STORED_AT = "X-Colo-Stored-At";
/** The answer's own caching headers, kept aside (as `X-Colo-Kept-<name>`) while the Cache API reads ours. */
const KEPT = ["Cache-Control", "CDN-Cache-Control"];

export function fromTier(stored: Response, requestHeaders: Headers): Response {
  const headers = new Headers(stored.headers);
  const storedAt = Number(headers.get(STORED_AT) ?? Date.now());
  headers.delete(STORED_AT);
  for (const name of KEPT) {
    headers.delete(name);
    const kept = headers.get(`X-Colo-Kept-${name}`);
    if (kept !== null) headers.set(name, kept);
    headers.delete(`X-Colo-Kept-${name}`);
  }
  // RFC 9111 §4.2.3: the age it had when stored, plus its time here.
  headers.set("Age", String(Number(headers.get("Age") ?? 0) + Math.max(0, Math.floor((Date.now() - storedAt) / 1000))));
  headers.set("X-Colo-Cache", "HIT");
  if (notModified(requestHeaders, headers.get("ETag") ?? "", headers.get("Last-Modified"))) {
    headers.delete("Content-Type");
    void stored.body?.cancel();
    return new Response(null, { status: 304, headers });
  }
  return new Response(stored.body, { status: stored.status, headers });
}

/** What the Cache API keeps for an entry: its answer, fresh for `ttlSeconds` in the cache, marked with when. */
export function storedResponse(entry: ColoEntry, now: number): Response {
  const headers = new Headers(entry.headers);
  headers.delete("X-Colo-Cache");
  headers.set(STORED_AT, String(now));
  // The Cache API reads Cache-Control for how long to keep it; readers get the original back.
  for (const name of KEPT) {
    const value = headers.get(name);
    if (value !== null) headers.set(`X-Colo-Kept-${name}`, value);
    headers.delete(name);
  }
  headers.set("Cache-Control", `public, max-age=${entry.ttlSeconds}`);
  return new Response(entry.body, { status: entry.status, headers });
}
