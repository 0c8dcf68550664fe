/**
 * Purge targets outside the system, one attempt each (the runner retries with backoff):
 *
 * - `url`: POST of the job's selectors as JSON (the original form).
 * - `http`: the same body, plus the tags and `/r` path prefixes the answers carried
 *   (`cacheTags`, `pathPrefixes`), with headers read from a secret (a JSON object).
 * - `cloudflare-zone`: Cloudflare's purge API of a zone (`POST /zones/{id}/purge_cache`, or
 *   `/invalidate_cache` for `mode: "stale"`), by the namespaced tags, with an API token read
 *   from a secret. Key prefixes become URL prefixes on the configured `host`, or the namespace's
 *   own tag without one (more than needed, never less).
 *
 * Any 2xx is success (and, from Cloudflare, `success: true`). Secrets are named in config and read
 * at call time; their values never reach a log line, an error or the job's `errors`.
 */
import type { PurgeTargetConfig } from "@cache-sync/contracts";
import { entryTag, keyTag, namespaceTag, proxyPathPrefix } from "../colo/cache-tags.ts";
import type { DueTarget } from "./job.ts";

type HttpTarget = Extract<PurgeTargetConfig, { kind: "http" }>;
type ZoneTarget = Extract<PurgeTargetConfig, { kind: "cloudflare-zone" }>;

/** The body a `url` or `http` purge target receives. */
export interface PurgeRequest {
  jobId: string;
  namespace: string;
  tags: string[];
  keys: string[];
  prefixes: string[];
  mode: "purge" | "stale";
  createdAt: number;
  /** `http` targets only: the Cache-Tag values of the answers to purge, and their `/r` path prefixes. */
  cacheTags?: string[];
  pathPrefixes?: string[];
}

/** Cloudflare takes at most 30 tags or prefixes per purge call on most plans. */
const ZONE_PER_CALL = 30;

export async function attemptExternal(env: Env, target: DueTarget, timeoutMs: number): Promise<void> {
  const { selectors } = target;
  const body: PurgeRequest = { jobId: target.jobId, namespace: target.namespace, ...selectors, createdAt: target.createdAt };
  if (target.kind === "url") return post(target.address, {}, body, timeoutMs);
  if (target.kind === "http") {
    const config = JSON.parse(target.address) as HttpTarget;
    const headers = config.headersSecret === undefined ? {} : headersFromSecret(env, config.headersSecret);
    const cacheTags = tagsToPurge(target, undefined);
    const pathPrefixes = selectors.prefixes.map((prefix) => proxyPathPrefix(target.namespace, prefix));
    return post(config.url, headers, { ...body, cacheTags, pathPrefixes }, timeoutMs);
  }
  if (target.kind === "cloudflare-zone") return purgeZone(env, target, JSON.parse(target.address) as ZoneTarget, timeoutMs);
  throw new Error(`not an external target kind: ${target.kind}`);
}

async function purgeZone(env: Env, target: DueTarget, config: ZoneTarget, timeoutMs: number): Promise<void> {
  const token = secret(env, config.tokenSecret);
  const url = `${config.apiBase.replace(/\/$/, "")}/zones/${config.zoneId}/${target.selectors.mode === "stale" ? "invalidate_cache" : "purge_cache"}`;
  const headers = { authorization: `Bearer ${token}` };
  const tags = tagsToPurge(target, config.host);
  const prefixes =
    config.host === undefined ? [] : target.selectors.prefixes.map((p) => `${config.host}${proxyPathPrefix(target.namespace, p)}`);
  for (let i = 0; i < tags.length; i += ZONE_PER_CALL)
    await post(url, headers, { tags: tags.slice(i, i + ZONE_PER_CALL) }, timeoutMs, true);
  for (let i = 0; i < prefixes.length; i += ZONE_PER_CALL)
    await post(url, headers, { prefixes: prefixes.slice(i, i + ZONE_PER_CALL) }, timeoutMs, true);
}

/** The Cache-Tag values the job's selectors name; prefixes purge the namespace unless they can go by path (`host`). */
function tagsToPurge(target: DueTarget, host: string | undefined): string[] {
  const { namespace, selectors } = target;
  const tags = [...selectors.tags.map((tag) => entryTag(namespace, tag)), ...selectors.keys.map((key) => keyTag(namespace, key))];
  if (selectors.prefixes.length > 0 && host === undefined) tags.push(namespaceTag(namespace));
  return [...new Set(tags)];
}

async function post(url: string, headers: Record<string, string>, body: unknown, timeoutMs: number, cloudflare = false): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const reason = error instanceof Error && error.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : String(error);
    throw new Error(reason);
  }
  if (!cloudflare) {
    await response.body?.cancel();
    if (!response.ok) throw new Error(`answered ${response.status}`);
    return;
  }
  const text = await response.text();
  let answer: { success?: boolean; errors?: { code?: number; message?: string }[] } = {};
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    // not JSON: the status says enough
  }
  if (response.ok && answer.success !== false) return;
  const reasons = (answer.errors ?? [])
    .map((e) => `${e.code ?? "?"} ${e.message ?? ""}`.trim())
    .join("; ")
    .slice(0, 200);
  throw new Error(`answered ${response.status}${reasons ? `: ${reasons}` : ""}`);
}

function secret(env: Env, name: string): string {
  const value = (env as unknown as Record<string, unknown>)[name];
  if (typeof value !== "string" || value === "") throw new Error(`secret ${name} is not set (wrangler secret put ${name})`);
  return value;
}

function headersFromSecret(env: Env, name: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secret(env, name));
  } catch (error) {
    if (error instanceof Error && error.message.startsWith("secret ")) throw error;
    throw new Error(`secret ${name} is not a JSON object of header names and values`);
  }
  if (typeof parsed !== "object" || parsed === null || Object.values(parsed).some((v) => typeof v !== "string")) {
    throw new Error(`secret ${name} is not a JSON object of header names and values`);
  }
  return parsed as Record<string, string>;
}
