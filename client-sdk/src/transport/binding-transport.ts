/**
 * Service bindings: another Worker calls the cache with no network hop, either through the
 * cache's RPC entrypoint (methods return `Outcome` values, because RPC drops error codes) or
 * through the binding's `fetch`, speaking the same tRPC-over-HTTP as the HTTP transport.
 */
import { CacheError, type CacheErrorCode, type CacheErrorDetails } from "../errors/cache-error.ts";
import { raceSignal } from "../util/abort.ts";
import { httpTransport, type FetchLike } from "./http-transport.ts";
import type { InputOf, OutputOf, ProcedureName, TokenSource, Transport } from "./transport.ts";

/** What the cache's `WorkerEntrypoint` returns from each RPC method. */
export type RpcOutcome<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string; data?: CacheErrorDetails } };

/** The entrypoint offers every procedure. */
type RpcProcedure = ProcedureName;

/** The cache's RPC entrypoint as seen through a service binding (`env.CACHE`). */
export type CacheRpcBinding = {
  [P in RpcProcedure]: (input: InputOf<P>) => Promise<RpcOutcome<OutputOf<P>>>;
};

/** Any binding with `fetch`, e.g. a `Fetcher` (`env.CACHE` bound to the cache Worker). */
export interface FetchBinding {
  fetch: FetchLike;
}

/**
 * What the `binding` option takes: the cache's RPC entrypoint or any `Fetcher`, as bound in the
 * calling Worker's wrangler configuration (`services: [{ binding: "CACHE", service: "cache-sync" }]`).
 *
 * @example
 * export default {
 *   async fetch(request: Request, env: { CACHE: CacheBinding }) {
 *     const cache = createCacheClient({ binding: env.CACHE, namespace: "products" });
 *     return Response.json(await cache.get("SKU123"));
 *   },
 * };
 */
export type CacheBinding = CacheRpcBinding | FetchBinding;

export interface BindingTransportOptions {
  binding: CacheBinding;
  /**
   * `rpc` calls the entrypoint's methods; `http` sends tRPC requests through `binding.fetch`.
   * @default "rpc" when the binding has a `get` method, otherwise "http"
   */
  protocol?: "rpc" | "http" | undefined;
  /** Sent as `Authorization: Bearer` over `http`; RPC through a binding is trusted by configuration. */
  token?: TokenSource | undefined;
}

// The host is never resolved: a service binding routes every request to the bound Worker.
const BINDING_BASE_URL = "https://cache-sync.binding";

export function bindingTransport(options: BindingTransportOptions): Transport {
  const { binding } = options;
  const protocol = options.protocol ?? (typeof (binding as Partial<CacheRpcBinding>).get === "function" ? "rpc" : "http");
  if (protocol === "http") {
    if (typeof (binding as Partial<FetchBinding>).fetch !== "function") {
      throw new TypeError("createCacheClient: binding has no fetch method; pass the service binding itself (env.CACHE)");
    }
    return httpTransport({
      url: BINDING_BASE_URL,
      token: options.token,
      fetch: (input, init) => (binding as FetchBinding).fetch(input, init),
    });
  }
  const rpc = binding as CacheRpcBinding;
  return {
    async call<P extends ProcedureName>(procedure: P, input: InputOf<P>, signal: AbortSignal): Promise<OutputOf<P>> {
      let outcome: RpcOutcome<OutputOf<P>>;
      try {
        // RPC cannot carry an AbortSignal: stop waiting instead (the call itself runs to completion).
        // Called as a method on the stub: `stub.set.call(...)` would be a remote call of "set.call".
        const invoke = rpc as unknown as Record<RpcProcedure, (input: unknown) => Promise<RpcOutcome<OutputOf<P>>>>;
        outcome = await raceSignal(Promise.resolve(invoke[procedure as RpcProcedure](input)), signal);
      } catch (error) {
        if (signal.aborted) throw error;
        throw new CacheError({ code: "NETWORK_ERROR", message: `service binding call failed: ${String(error)}`, cause: error });
      }
      if (outcome.ok) return outcome.value;
      throw new CacheError({
        code: outcome.error.code as CacheErrorCode,
        message: outcome.error.message,
        ...(outcome.error.data ? { details: outcome.error.data } : {}),
      });
    },
    async probe() {
      return true;
    },
  };
}
