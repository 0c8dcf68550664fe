/**
 * Stable shard routing: a key always lands on the same CacheShard of its namespace, named
 * "<namespace>:<index>", with index = jump consistent hash of the key over `shards` buckets
 * (Lamping & Veach, 2014). Growing from n to n + 1 shards moves only the keys the new shard takes
 * — about 1 / (n + 1) of them — where `hash mod n` would move about n / (n + 1). Those keys move
 * only to the new shard, never between old ones, which is what the resharding procedure relies
 * on (README "Changing `shards`").
 */
/**
 * 32-bit FNV-1a over the key's UTF-8 bytes: cheap, stable across runtimes, well spread. The bytes
 * are produced as they are hashed (no encoded copy of the key per call: this runs on every read).
 */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      hash = mix(hash, code);
      continue;
    }
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    // A lone surrogate is encoded as U+FFFD, as TextEncoder does.
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
    if (code < 0x800) {
      hash = mix(hash, 0xc0 | (code >> 6));
    } else if (code < 0x10000) {
      hash = mix(hash, 0xe0 | (code >> 12));
      hash = mix(hash, 0x80 | ((code >> 6) & 0x3f));
    } else {
      hash = mix(hash, 0xf0 | (code >> 18));
      hash = mix(hash, 0x80 | ((code >> 12) & 0x3f));
      hash = mix(hash, 0x80 | ((code >> 6) & 0x3f));
    }
    hash = mix(hash, 0x80 | (code & 0x3f));
  }
  return hash >>> 0;
}

/** One FNV-1a step: xor the byte in, multiply by the FNV prime (32-bit). */
function mix(hash: number, byte: number): number {
  return Math.imul(hash ^ byte, 0x01000193);
}

/**
 * Jump consistent hash. The original draws its jumps from a 64-bit LCG seeded by the key; any
 * deterministic sequence of uniform draws seeded by the key keeps its guarantees, so this one
 * uses SplitMix32 from the key's FNV-1a hash and stays in 32-bit integer arithmetic.
 */
export function shardIndex(key: string, shards: number): number {
  let state = fnv1a(key);
  let bucket = -1;
  let next = 0;
  while (next < shards) {
    bucket = next;
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z = (z ^ (z >>> 16)) >>> 0;
    // A uniform draw in (0, 1]: the next bucket that would take this key is (bucket + 1) / draw.
    next = Math.floor((bucket + 1) / ((z + 1) / 0x1_0000_0000));
  }
  return bucket;
}

export function shardName(namespace: string, index: number): string {
  return `${namespace}:${index}`;
}

export function shardNameForKey(namespace: string, key: string, shards: number): string {
  return shardName(namespace, shardIndex(key, shards));
}
