/**
 * tRPC setup: no transformer (plain JSON any HTTP client can speak), `isDev: false` so no stack
 * is ever sent, one base procedure whose middleware turns a thrown `CacheError` into the tRPC
 * error of the same code, and one formatter that puts zod issues and domain details in `data`
 * and keeps internals out of server errors (they carry the request id; the log line has the detail).
 */
import { initTRPC } from "@trpc/server";
import { CacheError } from "../errors.ts";
import type { TrpcContext } from "./context.ts";
import { errorExtras, publicMessage, toTrpcError } from "./errors.ts";

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

/** Every procedure and middleware below it may throw a CacheError: it leaves as the tRPC error of its code. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof CacheError) throw toTrpcError(result.error.cause);
  return result;
});

export const router = t.router;
export const middleware = t.middleware;
/** The procedure every route of the router is built on. */
export const baseProcedure = t.procedure.use(domainErrors);
