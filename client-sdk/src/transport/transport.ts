/** What carries a procedure call to the cache: HTTP (tRPC) or a service binding. */
import type { Procedures } from "../generated/wire-types.ts";

export type ProcedureName = keyof Procedures;
export type InputOf<P extends ProcedureName> = Procedures[P]["input"];
export type OutputOf<P extends ProcedureName> = Procedures[P]["output"];

export interface Transport {
  /** Runs one procedure; failures are CacheErrors (or anything, when `signal` fired). */
  call<P extends ProcedureName>(procedure: P, input: InputOf<P>, signal: AbortSignal): Promise<OutputOf<P>>;
  /** Cheap reachability check used while offline, so a probe rather than a queued write finds the way back. */
  probe(signal: AbortSignal): Promise<boolean>;
}

/** A bearer token, or a function that returns the current one (called before every request). */
export type TokenSource = string | (() => string | undefined | Promise<string | undefined>);

export async function resolveToken(token: TokenSource | undefined): Promise<string | undefined> {
  return typeof token === "function" ? await token() : token;
}
