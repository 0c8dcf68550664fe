/** What the hono app carries per request: the bindings, and what its middleware learned about the request. */
import type { Principal } from "./auth/principal.ts";
import type { TrpcCall } from "./trpc/trpc-path.ts";

export interface AppVariables {
  /** This request's id (X-Request-Id), set first; 5xx answers and log lines carry it. */
  requestId: string;
  /** The caller's token, or null when anonymous; set once identified. */
  principal: Principal;
  /** Well-formed namespaces the request named, once read (for the request log). */
  namespaces: string[];
  /** The tRPC call the path names, once parsed. */
  trpcCall: TrpcCall;
  /** The tRPC inputs, one per call, once parsed (the `?input=` of a query, the body of a mutation). */
  trpcInputs: unknown[];
  /** The one tRPC procedure a route answers for outside tRPC (the short path): its errors name it, as tRPC's do. */
  procedure: string;
  /** A mutation's body, once the gate has read it: tRPC is handed this text instead of the spent stream. */
  trpcBody: string;
}

export type AppEnv = { Bindings: Env; Variables: AppVariables };
