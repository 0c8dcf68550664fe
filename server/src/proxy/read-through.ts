/**
 * The read-through HTTP proxy: `GET /r/:namespace/:key` answers with the cached (or freshly
 * loaded) JSON value and HTTP caching headers (http-caching.ts), so browsers, CDNs and the colo
 * tier can keep answers, revalidate them with `If-None-Match` / `If-Modified-Since` (a 304 costs
 * a shard lookup and never an origin call while the shard's copy is fresh), and purge them by
 * their `Cache-Tag`. Errors are thrown and rendered by the app (404 included), `no-store`.
 */
import { getInput, parseCommonGetInput, type GetResult } from "@cache-sync/contracts";
import { answerTags } from "../colo/cache-tags.ts";
import { namespaceSettings } from "../config/load-config.ts";
import { CacheError } from "../errors.ts";
import { readAnswer, type OperationContext } from "../service/cache-operations.ts";
import { validated } from "../validation/zod-errors.ts";
import { notModified } from "./conditional.ts";
import { cachingHeaders, lastModified } from "./http-caching.ts";
import type { ProxyPath } from "./proxy-path.ts";

const X_CACHE: Record<GetResult["state"], string> = { fresh: "HIT", stale: "STALE", miss: "MISS" };

export async function readThrough(
  path: ProxyPath,
  requestHeaders: Headers,
  operations: OperationContext,
  authorize: (namespace: string) => void,
): Promise<Response> {
  // The common shape is checked without zod (contracts/src/common-get-input.ts); the rest, and errors, by the schema.
  const request = parseCommonGetInput(path) ?? validated(getInput, path);
  const started = performance.now();
  const { namespace, key } = request;
  authorize(namespace);
  const result = await readAnswer(operations, request);
  if (!result.found) throw new CacheError("NOT_FOUND", `no value for key "${key}" in namespace "${namespace}"`);

  const etag = `"${result.version}"`;
  const modified = lastModified(result.freshness);
  // One plain object, turned into the answer's headers once by the Response (1,000 waiters of a
  // herd each get their own answer, so every native header call is paid 1,000 times at once).
  const headers: Record<string, string> = {
    "X-Cache": X_CACHE[result.state],
    Age: String(Math.floor((result.ageMs ?? 0) / 1000)),
    ETag: etag,
    ...cachingHeaders(result.freshness, namespaceSettings(operations.config, namespace)),
    // W3C Server Timing: the cache's verdict and how long the lookup took (ms), for devtools and RUM.
    "Server-Timing": `cache;desc="${X_CACHE[result.state]}";dur=${(performance.now() - started).toFixed(1)}`,
    "Cache-Tag": answerTags(namespace, key, result.tags).join(","),
  };
  if (modified !== undefined) headers["Last-Modified"] = modified;
  // RFC 9110 §15.4.5: a 304 carries the headers the 200 would have had, without the body.
  if (notModified(requestHeaders, etag, modified)) return new Response(null, { status: 304, headers });
  headers["Content-Type"] = "application/json; charset=utf-8";
  // The JSON text the shard holds, as it is: the value is not encoded again per reader.
  return new Response(result.valueJson, { status: 200, headers });
}
