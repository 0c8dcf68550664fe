/**
 * Keys that would walk out of an origin's URL template. `{key}` is URL-encoded, so a key cannot
 * add a "/" or a "?", but "." and ".." survive encoding unchanged and are dot segments (RFC 3986
 * §5.2.4): `https://api/products/..` is `https://api/`, fetched with the origin's headers. They
 * are refused in origin-backed namespaces, before anything is cached or fetched.
 */
import type { NamespaceConfig } from "@cache-sync/contracts";
import { CacheError } from "../errors.ts";

const DOT_SEGMENTS = new Set([".", ".."]);

/** Throws 400 for a dot-segment key. */
export function assertOriginSafeKey(key: string): void {
  if (!DOT_SEGMENTS.has(key)) return;
  throw new CacheError(
    "BAD_REQUEST",
    `key "${key}" is a dot segment: in a namespace with an origin it would address another path of the origin (RFC 3986 §5.2.4)`,
    { key },
  );
}

/** The same check where it matters: namespaces whose keys are loaded from an origin. */
export function assertKeyFitsNamespace(settings: NamespaceConfig, key: string): void {
  if (settings.origin !== undefined) assertOriginSafeKey(key);
}
