/** Compile-time check that a value survives JSON: what `set` accepts. */

type JsonPrimitive = string | number | boolean | null;

/**
 * `T` itself when it is JSON-compatible (undefined properties are dropped by JSON, so allowed);
 * `never` in place of functions, symbols, bigints and the like, so `set` rejects them at compile time.
 */
export type JsonInput<T> = T extends JsonPrimitive | undefined
  ? T
  : T extends (...args: never[]) => unknown
    ? never
    : T extends bigint | symbol
      ? never
      : T extends readonly (infer U)[]
        ? readonly JsonInput<U>[]
        : T extends object
          ? { [K in keyof T]: JsonInput<T[K]> }
          : never;
