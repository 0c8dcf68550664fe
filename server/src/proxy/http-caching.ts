/**
 * HTTP caching headers of `/r` answers (RFC 9111, RFC 5861 stale-* extensions, RFC 9213
 * CDN-Cache-Control), made from the entry's own freshness and capped by the namespace's
 * `httpCache`:
 *
 * - public namespace (`publicRead`): `Cache-Control: public, max-age=B, s-maxage=S[, stale-if-error=E]`
 *   and `CDN-Cache-Control: public, max-age=S[, stale-while-revalidate=W][, stale-if-error=E]`.
 *   S = fresh time left, at most `sharedMaxAgeMs`; W = stale window left, at most what the cap
 *   leaves after S (so a shared cache serves one copy for at most `sharedMaxAgeMs` without asking);
 *   E = stale window left (what the shard itself would serve while the origin fails).
 *   stale-while-revalidate goes to CDNs only: browsers honour it too, and with B = 0 they are
 *   meant to revalidate every time.
 * - any other namespace: `Cache-Control: private, max-age=B` and `Vary: Authorization`, so no
 *   shared cache ever keeps an answer a token was needed for.
 *
 * B = fresh time left, at most `browserMaxAgeMs` (default 0: browsers revalidate with the ETag).
 * Seconds are rounded down, so no cache is told an answer is fresher than it is.
 */
import type { NamespaceConfig } from "@cache-sync/contracts";
import type { AnswerFreshness } from "../shard/get-answer.ts";

const NO_FRESHNESS: AnswerFreshness = { modifiedAt: 0, freshForMs: 0, staleForMs: 0 };

export function cachingHeaders(freshness: AnswerFreshness | undefined, settings: NamespaceConfig): Record<string, string> {
  const { freshForMs, staleForMs } = freshness ?? NO_FRESHNESS;
  const { sharedMaxAgeMs, browserMaxAgeMs } = settings.httpCache;
  const browser = seconds(Math.min(freshForMs, browserMaxAgeMs));
  if (!settings.publicRead) return { "Cache-Control": `private, max-age=${browser}`, Vary: "Authorization" };
  const shared = seconds(Math.min(freshForMs, sharedMaxAgeMs));
  const whileRevalidating = seconds(Math.min(staleForMs, sharedMaxAgeMs - shared * 1000));
  const ifError = seconds(staleForMs);
  const onError = ifError > 0 ? `, stale-if-error=${ifError}` : "";
  const cdn =
    sharedMaxAgeMs === 0
      ? "no-store"
      : `public, max-age=${shared}${whileRevalidating > 0 ? `, stale-while-revalidate=${whileRevalidating}` : ""}${onError}`;
  return { "Cache-Control": `public, max-age=${browser}, s-maxage=${shared}${onError}`, "CDN-Cache-Control": cdn };
}

/** The HTTP-date of a modification time: whole seconds, rounded down (RFC 9110 §5.6.7). */
export function lastModified(freshness: AnswerFreshness | undefined): string | undefined {
  if (freshness === undefined) return undefined;
  return new Date(Math.floor(freshness.modifiedAt / 1000) * 1000).toUTCString();
}

function seconds(ms: number): number {
  return Math.max(0, Math.floor(ms / 1000));
}
