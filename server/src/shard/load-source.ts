/**
 * Where a shard loads a key it does not hold: the namespace's origin, or — in a namespace that
 * writes behind to D1 and has no origin — the main database it writes to (read-through), so the
 * cache fronts its own database.
 */
import { utf8Bytes, type NamespaceConfig } from "@cache-sync/contracts";
import { CacheError } from "../errors.ts";
import { fetchFromOrigin, type OriginResult } from "../origin/origin-client.ts";

export interface LoadSource {
  load(key: string): Promise<OriginResult>;
  errorBackoffMs: number;
  negativeTtlMs: number;
}

/** How long a key absent from the main database is remembered as absent (writes replace it at once). */
const MAIN_DB_NEGATIVE_TTL_MS = 30_000;

export function loadSourceFor(ns: NamespaceConfig, namespace: string, mainDb: D1Database): LoadSource | undefined {
  const origin = ns.origin;
  if (origin) {
    return { load: (key) => fetchFromOrigin(origin, key), errorBackoffMs: origin.errorBackoffMs, negativeTtlMs: origin.negativeTtlMs };
  }
  if (ns.writeBehind?.sink === "d1") {
    return {
      load: (key) => readMainDb(mainDb, namespace, key),
      errorBackoffMs: 1_000,
      negativeTtlMs: Math.min(ns.freshMs, MAIN_DB_NEGATIVE_TTL_MS),
    };
  }
  return undefined;
}

async function readMainDb(db: D1Database, namespace: string, key: string): Promise<OriginResult> {
  let row: { value: string | null; version: number; deleted: number; tags: string } | null;
  try {
    row = await db
      .prepare(`SELECT value, version, deleted, tags FROM cache_records WHERE namespace = ? AND key = ?`)
      .bind(namespace, key)
      .first();
  } catch (error) {
    throw new CacheError("BAD_GATEWAY", `main database read failed for key "${key}": ${(error as Error).message}`, { key });
  }
  if (row === null || row.deleted === 1 || row.value === null) return { kind: "not-found" };
  return foundJson(row.value, row.version, row.tags);
}

/** A stored JSON text (valid when it was written) as a load result, keeping its version and tags. */
export function foundJson(json: string, version: number, tagsJson = "[]"): OriginResult {
  return { kind: "found", json, size: utf8Bytes(json), tags: parseTags(tagsJson), version };
}

/** Tags stored as a JSON array; anything else (a row written by hand) counts as none. */
function parseTags(text: string): string[] {
  try {
    const tags: unknown = JSON.parse(text);
    return Array.isArray(tags) ? tags.filter((tag): tag is string => typeof tag === "string") : [];
  } catch {
    return [];
  }
}
