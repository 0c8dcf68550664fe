/**
 * An estimate of the V8 heap a parsed JSON value occupies, for memory bounds. JSON length is a poor
 * proxy: a 1 MB `[{},{},…]` holds 333,000 objects and takes ~21 MB of heap, a 1 MB string ~1 MB.
 *
 * The constants are V8's object layouts on 64-bit without pointer compression (Node 20, V8 11.3),
 * checked against `process.memoryUsage().heapUsed` by server/scripts/measure-heap.ts (README,
 * "Memory bounds"). Workerd builds V8 with pointer compression, where most of these are smaller,
 * so in the Worker the estimate errs on the safe side.
 */
import type { JsonValue } from "@cache-sync/contracts";

/** A tagged pointer: one slot in an array's backing store or an object's fields. */
const SLOT = 8;
/** JSObject header (map, properties, elements). */
const OBJECT_HEADER = 24;
/** `{}` from JSON.parse gets the literal map, with room for 4 properties. */
const EMPTY_OBJECT = OBJECT_HEADER + 4 * SLOT;
/** JSArray (32) plus its FixedArray backing store's header (16). */
const ARRAY_HEADER = 48;
/** An empty array shares the empty backing store. */
const EMPTY_ARRAY = 32;
/** SeqString header (map, hash, length). */
const STRING_HEADER = 16;
/** A number that is not a small integer lives in a HeapNumber box (map + float64), unless every
 * element of its array is a number: a FixedDoubleArray holds them unboxed. */
const HEAP_NUMBER = 16;
/** Past this many properties V8 keeps an object as a hash table ("dictionary mode"). */
const FAST_PROPERTIES_MAX = 128;
/** A dictionary entry (key, value, details) times the table's spare capacity, per property. */
const DICTIONARY_ENTRY = 3 * SLOT * 2;

const SMI_MIN = -(2 ** 31);
const SMI_MAX = 2 ** 31 - 1;

/** Estimated heap bytes of `value` and everything it holds (not counting the slot that refers to it). */
export function estimateHeapBytes(value: JsonValue): number {
  let total = 0;
  // An explicit stack: a deeply nested value must not overflow the call stack.
  const stack: JsonValue[] = [value];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node === null || typeof node === "boolean") continue;
    if (typeof node === "number") {
      if (!isSmi(node)) total += HEAP_NUMBER;
    } else if (typeof node === "string") {
      total += stringBytes(node);
    } else if (Array.isArray(node)) {
      if (node.length === 0) {
        total += EMPTY_ARRAY;
        continue;
      }
      total += ARRAY_HEADER + node.length * SLOT;
      // All numbers: unboxed doubles (or small integers), nothing more to count.
      if (node.every((item) => typeof item === "number")) continue;
      for (const item of node) stack.push(item);
    } else {
      const keys = Object.keys(node);
      if (keys.length === 0) total += EMPTY_OBJECT;
      else if (keys.length <= FAST_PROPERTIES_MAX) total += OBJECT_HEADER + keys.length * SLOT;
      else {
        // Dictionary mode: a hash table, and keys that are not shared with other objects of the same shape.
        total += OBJECT_HEADER + keys.length * DICTIONARY_ENTRY;
        for (const key of keys) total += stringBytes(key);
      }
      for (const key of keys) stack.push(node[key]!);
    }
  }
  return total;
}

function isSmi(n: number): boolean {
  return Number.isInteger(n) && n >= SMI_MIN && n <= SMI_MAX && !Object.is(n, -0);
}

/**
 * One byte per character while every one fits Latin-1, else two; rounded up to a slot. The empty
 * string and one-character Latin-1 strings are V8's shared singletons: nothing more.
 */
function stringBytes(text: string): number {
  if (text.length === 0 || (text.length === 1 && text.charCodeAt(0) <= 0xff)) return 0;
  let wide = false;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0xff) {
      wide = true;
      break;
    }
  }
  const payload = wide ? 2 * text.length : text.length;
  return Math.ceil((STRING_HEADER + payload) / SLOT) * SLOT;
}
