/**
 * The only place the SDK touches the server: the router's inferred types, read by
 * generate-wire-types.ts with the server's compiler settings and printed as plain types.
 */
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "../../server/src/trpc/router.ts";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterKinds = {
  [K in keyof AppRouter["_def"]["procedures"]]: AppRouter["_def"]["procedures"][K]["_def"]["type"];
};
