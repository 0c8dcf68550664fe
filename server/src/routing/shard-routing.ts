/**
 * Stable shard routing: a key always lands on the same CacheShard of its namespace, named
 * "<namespace>:<index>", with index = FNV-1a(key) mod shards.
 */
const encoder = new TextEncoder();

/** 32-bit FNV-1a over the key's UTF-8 bytes: cheap, stable across runtimes, well spread. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of encoder.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function shardIndex(key: string, shards: number): number {
  return fnv1a(key) % shards;
}

export function shardName(namespace: string, index: number): string {
  return `${namespace}:${index}`;
}

export function shardNameForKey(namespace: string, key: string, shards: number): string {
  return shardName(namespace, shardIndex(key, shards));
}
