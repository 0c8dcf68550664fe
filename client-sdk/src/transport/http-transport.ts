/** tRPC over HTTP (batched): the transport for browsers, Node and Workers without a binding. */
import { createTRPCUntypedClient, httpBatchLink } from "@trpc/client";
import type { AnyTRPCRouter } from "@trpc/server";
import { PROCEDURE_KINDS } from "../generated/wire-types.ts";
import { resolveToken, type TokenSource, type Transport } from "./transport.ts";
import { fromTrpcError } from "./trpc-error.ts";

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
}

// Long batched GET URLs are split before proxies start refusing them (many stop near 8 KiB).
const MAX_URL_LENGTH = 6_000;

export function httpTransport(options: HttpTransportOptions): Transport {
  const base = options.url.replace(/\/+$/, "");
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const client = createTRPCUntypedClient<AnyTRPCRouter>({
    links: [
      httpBatchLink({
        url: `${base}/trpc`,
        maxURLLength: MAX_URL_LENGTH,
        fetch: (input, init) => fetchImpl(input as string, init as RequestInit),
        headers: async () => {
          const token = await resolveToken(options.token);
          return { ...options.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
        },
      }),
    ],
  });
  return {
    async call(procedure, input, signal) {
      try {
        const run = PROCEDURE_KINDS[procedure] === "query" ? client.query : client.mutation;
        return (await run.call(client, procedure, input, { signal })) as never;
      } catch (error) {
        throw fromTrpcError(error);
      }
    },
    async probe(signal) {
      try {
        const response = await fetchImpl(`${base}/health`, { signal });
        await response.body?.cancel();
        return response.ok;
      } catch {
        return false;
      }
    },
  };
}
