/**
 * The `Cache-Tag` values of `/r` answers, and the tags a purge of a selector names. Every tag is
 * namespaced, so a purge reaches exactly one namespace's answers in a cache shared by all of them:
 *
 *   `<ns>:<tag>`       each of the entry's own tags
 *   `<ns>/key/<hash>`  the key: 64 bits of its SHA-256 in hex (keys may hold any character, and
 *                      a header may not); a collision only ever purges one answer too many
 *   `<ns>`             the whole namespace (what a prefix purges where a cache has no path prefixes)
 *
 * A namespace name holds neither ":" nor "/", so the three forms never meet. Tags are printable
 * ASCII without commas (LIMITS.tagPattern), so they travel in the header as they are.
 */
import { createHash } from "node:crypto";
import { LIMITS } from "@cache-sync/contracts";

export const namespaceTag = (namespace: string): string => namespace;

export const entryTag = (namespace: string, tag: string): string => `${namespace}:${tag}`;

/**
 * Synchronous (node:crypto, BoringSSL) rather than `crypto.subtle.digest`, whose promise settles
 * through the runtime's event queue: every `/r` answer computes this, and under load that queue
 * holds other requests' work. The key's UTF-8 bytes are hashed as TextEncoder gives them (a lone
 * surrogate as U+FFFD), so the tags are the ones the digest gave.
 */
export function keyTag(namespace: string, key: string): string {
  return `${namespace}/key/${createHash("sha256").update(key, "utf8").digest("hex").slice(0, 16)}`;
}

/** What an answer for `key` carrying `tags` says in its Cache-Tag header. */
export function answerTags(namespace: string, key: string, tags: readonly string[]): string[] {
  // Only tags that can travel in a header: entries stored before tags were checked may hold others.
  const own = tags.filter((tag) => LIMITS.tagPattern.test(tag)).map((tag) => entryTag(namespace, tag));
  return [...own, keyTag(namespace, key), namespaceTag(namespace)];
}

/** The path prefix of `/r` answers whose keys start with `prefix`, as readers' URLs spell it (each character percent-encoded as encodeURIComponent does, "/" kept). */
export function proxyPathPrefix(namespace: string, prefix: string): string {
  return `/r/${namespace}/${prefix.split("/").map(encodeURIComponent).join("/")}`;
}
