/**
 * tRPC setup: no transformer (plain JSON any HTTP client can speak), `isDev: false` so no stack
 * is ever sent, and a formatter that puts zod issues and domain context in `data`, and keeps
 * internals out of server errors (they carry the request id; the log line has the detail).
 */
import { initTRPC } from "@trpc/server";
import type { TrpcContext } from "./context.ts";
import { errorExtras, publicMessage } from "./errors.ts";

const t = initTRPC.context<TrpcContext>().create({
  isDev: false,
  errorFormatter({ shape, error, ctx }) {
    const { stack: _stack, ...data } = shape.data;
    const requestId = data.httpStatus >= 500 ? ctx?.requestId : undefined;
    return {
      ...shape,
      message: publicMessage(error, data.httpStatus, requestId),
      data: { ...data, ...(requestId !== undefined && { requestId }), ...errorExtras(error) },
    };
  },
});

export const router = t.router;
export const publicProcedure = t.procedure;
export const middleware = t.middleware;
