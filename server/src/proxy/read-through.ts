/**
 * The read-through HTTP proxy: `GET /r/:namespace/:key` answers with the cached (or freshly
 * loaded) JSON value and HTTP caching headers, so browsers and CDNs can use the cache directly.
 */
import { getInput, type GetResult } from "@cache-sync/contracts";
import type { Context } from "hono";
import { CacheError } from "../errors.ts";
import { jsonError, jsonErrorFrom } from "../http/json-error.ts";
import { getEntry, type OperationContext } from "../service/cache-operations.ts";
import { describeZodError } from "../trpc/errors.ts";

const X_CACHE: Record<GetResult["state"], string> = { fresh: "HIT", stale: "STALE", miss: "MISS" };

export async function readThrough(
  c: Context,
  operations: OperationContext,
  authorize: (namespace: string) => void,
): Promise<Response> {
  const parsed = getInput.safeParse({ namespace: c.req.param("namespace"), key: c.req.param("key") });
  if (!parsed.success) return jsonError("BAD_REQUEST", describeZodError(parsed.error));
  let result: GetResult;
  const started = performance.now();
  try {
    authorize(parsed.data.namespace);
    result = await getEntry(operations, parsed.data);
  } catch (error) {
    if (error instanceof CacheError) return jsonErrorFrom(error);
    throw error;
  }
  if (!result.found) return jsonError("NOT_FOUND", `no value for key "${parsed.data.key}" in namespace "${parsed.data.namespace}"`);

  const etag = `"${result.version}"`;
  const headers = new Headers({
    "X-Cache": X_CACHE[result.state],
    Age: String(Math.floor((result.ageMs ?? 0) / 1000)),
    ETag: etag,
    // W3C Server Timing: the cache's verdict and how long the lookup took (ms), for devtools and RUM.
    "Server-Timing": `cache;desc="${X_CACHE[result.state]}";dur=${(performance.now() - started).toFixed(1)}`,
  });
  if (result.tags.length > 0) headers.set("Cache-Tag", result.tags.join(","));
  if (matchesEtag(c.req.header("If-None-Match"), etag)) return new Response(null, { status: 304, headers });
  headers.set("Content-Type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(result.value), { status: 200, headers });
}

/** RFC 9110 §13.1.2: If-None-Match uses weak comparison and may list several tags, or `*`. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((candidate) => {
    const tag = candidate.trim();
    return tag === "*" || tag.replace(/^W\//, "") === etag;
  });
}
