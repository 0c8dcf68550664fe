/** The tRPC router: every procedure of the wire contract, validated by the contracts' zod schemas. */
import {
  deleteInput,
  flushInput,
  getInput,
  invalidateInput,
  setInput,
  statsInput,
  statusInput,
  warmInput,
  type FlushResult,
  type InvalidationStatus,
} from "@cache-sync/contracts";
import { notImplemented } from "../errors.ts";
import { deleteEntry, getEntry, namespaceStats, setEntry } from "../service/cache-operations.ts";
import { translated } from "./errors.ts";
import { publicProcedure, router } from "./init.ts";

/** Until its issue lands, a procedure answers a clear 501 rather than pretending. */
const pending =
  <T>(procedure: string) =>
  (): Promise<T> =>
    translated(() => Promise.reject(notImplemented(procedure)));

export const appRouter = router({
  get: publicProcedure.input(getInput).query(({ ctx, input }) => translated(() => getEntry(ctx, input))),
  set: publicProcedure.input(setInput).mutation(({ ctx, input }) => translated(() => setEntry(ctx, input))),
  delete: publicProcedure.input(deleteInput).mutation(({ ctx, input }) => translated(() => deleteEntry(ctx, input))),
  invalidate: publicProcedure.input(invalidateInput).mutation(pending<InvalidationStatus>("invalidate")),
  status: publicProcedure.input(statusInput).query(pending<InvalidationStatus>("status")),
  stats: publicProcedure.input(statsInput).query(({ ctx, input }) => translated(() => namespaceStats(ctx, input.namespace))),
  flush: publicProcedure.input(flushInput).mutation(pending<FlushResult>("flush")),
  warm: publicProcedure.input(warmInput).mutation(pending<InvalidationStatus>("warm")),
});

/** The router's type: what the SDK imports (`import type`), never the code. */
export type AppRouter = typeof appRouter;
