/** Hard limits of the wire contract (docs/design.md "Limits"); the server enforces them before any work. */
export const LIMITS = {
  /** Namespace names: lower-case, digits, `_` and `-`, 1–64 characters. */
  namespacePattern: /^[a-z0-9][a-z0-9_-]{0,63}$/,
  keyMaxBytes: 512,
  /** Default bound on a value's serialized JSON size; a namespace may lower or raise it (`maxValueBytes`). */
  valueMaxBytes: 1024 * 1024,
  /** Upper bound any namespace may configure: one SQLite row in a Durable Object holds at most 2 MB. */
  valueMaxBytesCeiling: 1_900_000,
  /** Containers (arrays, objects) nested inside each other in one value; checked by a cheap walk before any work. */
  valueMaxDepth: 64,
  /** Values (containers and scalars) in one value: bounds what a shard and its RPC copy spend on it. */
  valueMaxNodes: 100_000,
  tagsPerEntry: 32,
  tagMaxChars: 128,
  /**
   * Tags travel in the `Cache-Tag` response header as a comma-separated list: printable ASCII
   * (0x21-0x7E) other than the comma, so no tag can break the header or the list.
   */
  tagPattern: /^[\x21-\x2b\x2d-\x7e]+$/,
  selectorsPerInvalidation: 100,
  idempotencyKeyMaxChars: 128,
  /** Longest fresh or stale window a caller may ask for: one year. */
  maxDurationMs: 365 * 24 * 60 * 60 * 1000,
  warmKeysPerCall: 1000,
  /** As many as an invalidation's selectors: each tag is one indexed query on every shard. */
  warmTagsPerCall: 100,
  /** Most jobs one `jobs` call lists; 20 when the caller does not say. */
  jobsPerList: 100,
  jobsPerListDefault: 20,
} as const;

export const DEFAULT_NAMESPACE = "default";

/** Size of a string in UTF-8 bytes, the unit every byte limit is stated in. */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4; // a surrogate pair is one 4-byte code point
      i++;
    } else bytes += 3;
  }
  return bytes;
}
