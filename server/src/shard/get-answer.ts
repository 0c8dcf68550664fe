/**
 * What a shard answers to a read: a GetResult whose value is still the JSON text the shard holds.
 * The value is serialized once, when it enters the cache (a write or an origin load), and every
 * reader after that — a hit, or each of a herd's thousand waiters of one load — gets the same
 * string: RPC copies a string as bytes, and the front doors splice it into their answer
 * (`answerJson`, the proxy's body) instead of encoding the value again.
 */
import type { GetResult, JsonValue } from "@cache-sync/contracts";

export type GetAnswer = Omit<GetResult, "value"> & {
  /** The value as JSON text; "null" when nothing was found. */
  valueJson: string;
  /** What HTTP caching headers are made from (the proxy's Cache-Control, Last-Modified); not part of the public result. */
  freshness?: AnswerFreshness;
};

/** The entry's times as its shard saw them when it answered. */
export interface AnswerFreshness {
  /** When the entry was last written (or the origin load that made it started), epoch ms on the shard's clock. */
  modifiedAt: number;
  /** How long it stays fresh from now; 0 when stale. */
  freshForMs: number;
  /** How long after that it may still be served stale (stale-while-revalidate, stale-if-error). */
  staleForMs: number;
}

export const NOT_FOUND_ANSWER: GetAnswer = {
  found: false,
  valueJson: "null",
  state: "miss",
  source: null,
  version: null,
  ageMs: null,
  tags: [],
};

/** The public result, value parsed: for callers that need the value itself (service bindings, tRPC batches). */
export function answerToResult({ valueJson, freshness: _freshness, ...rest }: GetAnswer): GetResult {
  return { ...rest, value: JSON.parse(valueJson) as JsonValue };
}

/** The public result's JSON text, the value spliced in as it is held: no parse, no second encoding. */
export function answerJson({ valueJson, freshness: _freshness, ...rest }: GetAnswer): string {
  const meta = JSON.stringify(rest);
  return `{"value":${valueJson},${meta.slice(1)}`;
}
