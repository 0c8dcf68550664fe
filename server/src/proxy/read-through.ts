/**
 * The read-through HTTP proxy: `GET /r/:namespace/:key` answers with the cached (or freshly
 * loaded) JSON value and HTTP caching headers, so browsers and CDNs can use the cache directly.
 * Errors are thrown and rendered by the app (404 included).
 */
import { getInput, LIMITS, type GetResult } from "@cache-sync/contracts";
import { CacheError } from "../errors.ts";
import { readAnswer, type OperationContext } from "../service/cache-operations.ts";
import { validated } from "../validation/zod-errors.ts";
import type { ProxyPath } from "./proxy-path.ts";

const X_CACHE: Record<GetResult["state"], string> = { fresh: "HIT", stale: "STALE", miss: "MISS" };

export async function readThrough(
  path: ProxyPath,
  ifNoneMatch: string | undefined,
  operations: OperationContext,
  authorize: (namespace: string) => void,
): Promise<Response> {
  const request = validated(getInput, path);
  const started = performance.now();
  authorize(request.namespace);
  const result = await readAnswer(operations, request);
  if (!result.found) throw new CacheError("NOT_FOUND", `no value for key "${request.key}" in namespace "${request.namespace}"`);

  const etag = `"${result.version}"`;
  const headers = new Headers({
    "X-Cache": X_CACHE[result.state],
    Age: String(Math.floor((result.ageMs ?? 0) / 1000)),
    ETag: etag,
    // W3C Server Timing: the cache's verdict and how long the lookup took (ms), for devtools and RUM.
    "Server-Timing": `cache;desc="${X_CACHE[result.state]}";dur=${(performance.now() - started).toFixed(1)}`,
  });
  // Only tags that can travel in a header: entries stored before tags were checked may hold others.
  const tags = result.tags.filter((tag) => LIMITS.tagPattern.test(tag));
  if (tags.length > 0) headers.set("Cache-Tag", tags.join(","));
  if (matchesEtag(ifNoneMatch, etag)) return new Response(null, { status: 304, headers });
  headers.set("Content-Type", "application/json; charset=utf-8");
  // The JSON text the shard holds, as it is: the value is not encoded again per reader.
  return new Response(result.valueJson, { status: 200, headers });
}

/** RFC 9110 §13.1.2: If-None-Match uses weak comparison and may list several tags, or `*`. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((candidate) => {
    const tag = candidate.trim();
    return tag === "*" || tag.replace(/^W\//, "") === etag;
  });
}
