/**
 * Calls made in the same tick go out together, in as few HTTP requests as the server accepts:
 * at most `maxItems` calls per request (the server's `maxBatchSize`), a POST body of at most
 * `maxBytes`, and a GET URL of at most `maxUrlLength`. A call too big for any batch goes alone,
 * so the server (413 PAYLOAD_TOO_LARGE) decides it rather than the client.
 */
export interface BatchLimits {
  maxItems: number;
  maxBytes: number;
  maxUrlLength: number;
}

/** What the splitter needs to know of a call: its size on the wire. */
export interface Sized {
  /** Bytes it adds to a POST body. */
  bytes: number;
  /** Characters it adds to a GET URL (percent-encoded input and procedure name). */
  urlLength: number;
}

// `{}` plus, per call, `"12":` and a comma: a generous bound on what a batch adds around its inputs.
const BODY_OVERHEAD = 2;
const PER_CALL_OVERHEAD = 8;
// `/trpc/` + `?batch=1&input=` and the encoded braces, beside the base URL.
const URL_OVERHEAD = 32;

/** Splits calls, in order, into batches within the limits. */
export function splitBatches<T extends Sized>(
  calls: readonly T[],
  kind: "query" | "mutation",
  limits: BatchLimits,
  baseLength: number,
): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let size = 0;
  const budget = kind === "mutation" ? limits.maxBytes - BODY_OVERHEAD : limits.maxUrlLength - baseLength - URL_OVERHEAD;
  for (const call of calls) {
    const cost = (kind === "mutation" ? call.bytes : call.urlLength) + PER_CALL_OVERHEAD;
    if (current.length > 0 && (current.length >= limits.maxItems || size + cost > budget)) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(call);
    size += cost;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
