/**
 * tRPC over HTTP, batched: the transport for browsers, Node and Workers without a binding.
 * Calls made in the same tick share requests, split to fit the server's limits (batch-splitter);
 * the wire format is tRPC's own (trpc-wire), so any tRPC server of this contract answers it.
 */
import { CacheError } from "../errors/cache-error.ts";
import { PROCEDURE_KINDS } from "../generated/wire-types.ts";
import { splitBatches, type BatchLimits } from "./batch-splitter.ts";
import { resolveToken, type TokenSource, type Transport } from "./transport.ts";
import { batchOutcomes, batchRequest, type CallKind } from "./trpc-wire.ts";

/**
 * The `fetch` the HTTP transport calls (the `fetch` option): the global one by default, or your own
 * for instrumentation, proxies or tests.
 *
 * @example
 * const fetch: FetchLike = (input, init) => {
 *   console.debug("cache request", String(input));
 *   return globalThis.fetch(input, init);
 * };
 * const cache = createCacheClient({ url, fetch });
 */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface HttpTransportOptions {
  /** The Worker's base URL, e.g. `https://cache.example.com` (tRPC is served under `/trpc`). */
  url: string;
  token?: TokenSource | undefined;
  fetch?: FetchLike | undefined;
  headers?: Record<string, string> | undefined;
  /** Most calls in one request; the server refuses bigger batches (its `maxBatchSize`, 50 by default). */
  maxBatchSize?: number | undefined;
  /** Largest POST body of a batch, in bytes; under the server's smallest default body limit (1 MiB + 64 KiB). */
  maxBatchBytes?: number | undefined;
}

export const DEFAULT_MAX_BATCH_SIZE = 50;
export const DEFAULT_MAX_BATCH_BYTES = 1024 * 1024;
// Long batched GET URLs are split before proxies start refusing them (many stop near 8 KiB).
const MAX_URL_LENGTH = 6_000;

interface PendingCall {
  procedure: string;
  json: string | undefined;
  bytes: number;
  urlLength: number;
  signal: AbortSignal;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** UTF-8 length of a string without encoding it (lone surrogates count as the 3-byte U+FFFD they become). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

export function httpTransport(options: HttpTransportOptions): Transport {
  const base = `${options.url.replace(/\/+$/, "")}/trpc`;
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const limits: BatchLimits = {
    maxItems: options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE,
    maxBytes: options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES,
    maxUrlLength: MAX_URL_LENGTH,
  };
  const pending: Record<CallKind, PendingCall[]> = { query: [], mutation: [] };
  // biome-ignore lint/correctness/noUnusedVariables: read by `timer ??= …` in `call` (one dispatch per tick), which Biome counts as a write only
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function send(kind: CallKind, calls: PendingCall[]): Promise<void> {
    // The request is abandoned only when every call in it was abandoned; each call's own
    // signal already settles that call (client-core races it).
    const controller = new AbortController();
    let live = calls.length;
    for (const call of calls) {
      const onAbort = () => --live === 0 && controller.abort(call.signal.reason);
      if (call.signal.aborted) onAbort();
      else call.signal.addEventListener("abort", onAbort, { once: true });
    }
    try {
      const token = await resolveToken(options.token);
      const { url, body } = batchRequest(base, kind, calls);
      const headers: Record<string, string> = {
        ...options.headers,
        ...(kind === "mutation" ? { "content-type": "application/json" } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      };
      const response = await fetchImpl(url, { method: kind === "mutation" ? "POST" : "GET", headers, body, signal: controller.signal });
      const outcomes = batchOutcomes(calls.length, response.status, response.headers, await response.text());
      calls.forEach((call, i) => {
        const outcome = outcomes[i]!;
        if (outcome.ok) call.resolve(outcome.data);
        else call.reject(outcome.error);
      });
    } catch (error) {
      const failure = new CacheError({ code: "NETWORK_ERROR", message: `could not reach the cache: ${String(error)}`, cause: error });
      for (const call of calls) call.reject(failure);
    }
  }

  function dispatch(): void {
    timer = undefined;
    for (const kind of ["query", "mutation"] as const) {
      const calls = pending[kind];
      if (calls.length === 0) continue;
      pending[kind] = [];
      for (const batch of splitBatches(calls, kind, limits, base.length)) void send(kind, batch);
    }
  }

  return {
    call(procedure, input, signal) {
      const json = input === undefined ? undefined : JSON.stringify(input);
      return new Promise((resolve, reject) => {
        const kind = PROCEDURE_KINDS[procedure];
        // Only the measure that bounds this kind of request is taken: body bytes for a POST, URL length for a GET.
        const bytes = kind === "mutation" && json !== undefined ? utf8Length(json) : 0;
        const urlLength = kind === "query" ? procedure.length + (json === undefined ? 0 : encodeURIComponent(json).length) : 0;
        pending[kind].push({ procedure, json, bytes, urlLength, signal, resolve: resolve as (value: unknown) => void, reject });
        // Batching is per tick, as in tRPC's batch link: calls made together go together, no added delay.
        timer ??= setTimeout(dispatch);
      });
    },
    async probe(signal) {
      try {
        const response = await fetchImpl(`${options.url.replace(/\/+$/, "")}/health`, { signal });
        await response.body?.cancel();
        return response.ok;
      } catch {
        return false;
      }
    },
  };
}
