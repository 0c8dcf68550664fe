/**
 * tRPC setup: no transformer (plain JSON any HTTP client can speak), `isDev: false` so no stack
 * is ever sent, and a formatter that puts zod issues and domain context in `data`.
 */
import { initTRPC } from "@trpc/server";
import type { TrpcContext } from "./context.ts";
import { errorExtras, publicMessage } from "./errors.ts";

const t = initTRPC.context<TrpcContext>().create({
  isDev: false,
  errorFormatter({ shape, error }) {
    const { stack: _stack, ...data } = shape.data;
    return { ...shape, message: publicMessage(error), data: { ...data, ...errorExtras(error) } };
  },
});

export const router = t.router;
export const publicProcedure = t.procedure;
export const middleware = t.middleware;
