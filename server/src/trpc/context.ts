/** What every procedure sees: the bindings, the parsed config and the request. */
import type { CacheConfig } from "@cache-sync/contracts";

export interface TrpcContext {
  env: Env;
  config: CacheConfig;
  request: Request;
  waitUntil: (promise: Promise<unknown>) => void;
}
