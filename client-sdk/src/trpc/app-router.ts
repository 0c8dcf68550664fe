/**
 * The service's tRPC router as a type, for apps that use tRPC directly (`createTRPCClient<AppRouter>`,
 * TanStack Query through `@trpc/tanstack-react-query`) instead of `createCacheClient`. Built from
 * the generated wire types, so the published declarations name only `@trpc/server`'s types and this
 * package's own: nothing of the server or of the Workers runtime. The wire types are checked
 * against the server's real router (test/unit/wire-types.test.ts), so this type follows it.
 */
import type { TRPCBuiltRouter, TRPCDefaultErrorShape, TRPCMutationProcedure, TRPCQueryProcedure } from "@trpc/server";
import type { CacheErrorDetails, CacheErrorIssue } from "../errors/cache-error.ts";
import type { Procedures } from "../generated/wire-types.ts";

/** The error shape the service sends: tRPC's default, plus zod `issues` and domain `details` in `data`. */
export type CacheErrorShape = TRPCDefaultErrorShape & {
  data: { issues?: CacheErrorIssue[]; details?: CacheErrorDetails };
};

type ProcedureOf<P extends keyof Procedures> = Procedures[P]["kind"] extends "query"
  ? TRPCQueryProcedure<{ input: Procedures[P]["input"]; output: Procedures[P]["output"]; meta: object }>
  : TRPCMutationProcedure<{ input: Procedures[P]["input"]; output: Procedures[P]["output"]; meta: object }>;

/**
 * The cache service's router type: every procedure of the wire contract with its input and output.
 * No data transformer (plain JSON).
 *
 * @example
 * import { createTRPCClient, httpBatchLink } from "@trpc/client";
 * import type { AppRouter } from "@cache-sync/client/trpc";
 * const trpc = createTRPCClient<AppRouter>({
 *   links: [httpBatchLink({ url: "https://cache.example.com/trpc", maxItems: 50, headers: { authorization: `Bearer ${token}` } })],
 * });
 * const entry = await trpc.get.query({ namespace: "products", key: "SKU123" });
 */
export type AppRouter = TRPCBuiltRouter<
  { ctx: object; meta: object; errorShape: CacheErrorShape; transformer: false },
  { [P in keyof Procedures]: ProcedureOf<P> }
>;
