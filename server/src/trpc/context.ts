/** What every procedure sees: the bindings, the parsed config and the request. */
import type { CacheConfig } from "@cache-sync/contracts";
import type { Principal } from "../auth/principal.ts";

export interface TrpcContext {
  env: Env;
  config: CacheConfig;
  request: Request;
  /** The caller's token, or null when anonymous (set by the authenticate middleware). */
  principal: Principal;
  /** False on a deployment with no CACHE_TOKENS: every call that needs a token is refused. */
  tokensConfigured: boolean;
  waitUntil: (promise: Promise<unknown>) => void;
  /** This request's id: server errors carry it, and their log line says what happened. */
  requestId: string;
}
