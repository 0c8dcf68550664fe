/** The tRPC router: every procedure of the wire contract, validated by the contracts' zod schemas. */
import {
  deadLetterSelection,
  deadLettersInput,
  deleteInput,
  flushInput,
  getInput,
  invalidateInput,
  jobsInput,
  namespacesInput,
  setInput,
  statsInput,
  statusInput,
  warmInput,
} from "@cache-sync/contracts";
import {
  deleteEntry,
  flushNamespace,
  getEntry,
  invalidate,
  jobStatus,
  listNamespaces,
  namespaceStats,
  recentJobs,
  setEntry,
  warmKeys,
} from "../service/cache-operations.ts";
import { dropDeadLetters, listDeadLetters, replayDeadLetters } from "../service/dead-letter-operations.ts";
import { router } from "./init.ts";
import { access, adminOfAnyNamespace, procedure } from "./procedures.ts";

export const appRouter = router({
  get: procedure
    .input(getInput)
    .use(access("get"))
    .query(({ ctx, input }) => getEntry(ctx, input)),
  set: procedure
    .input(setInput)
    .use(access("set"))
    .mutation(({ ctx, input }) => setEntry(ctx, input)),
  delete: procedure
    .input(deleteInput)
    .use(access("delete"))
    .mutation(({ ctx, input }) => deleteEntry(ctx, input)),
  invalidate: procedure
    .input(invalidateInput)
    .use(access("invalidate"))
    .mutation(({ ctx, input }) => invalidate(ctx, input)),
  status: procedure
    .input(statusInput)
    .use(access("status"))
    .query(({ ctx, input }) => jobStatus(ctx, input)),
  stats: procedure
    .input(statsInput)
    .use(access("stats"))
    .query(({ ctx, input }) => namespaceStats(ctx, input.namespace)),
  flush: procedure
    .input(flushInput)
    .use(access("flush"))
    .mutation(({ ctx, input }) => flushNamespace(ctx, input.namespace)),
  warm: procedure
    .input(warmInput)
    .use(access("warm"))
    .mutation(({ ctx, input }) => warmKeys(ctx, input)),
  // Write-behind dead letters (extension): records the sink refused for good, and what an admin does with them.
  deadLetters: procedure
    .input(deadLettersInput)
    .use(access("deadLetters"))
    .query(({ ctx, input }) => listDeadLetters(ctx, input)),
  replayDeadLetters: procedure
    .input(deadLetterSelection)
    .use(access("replayDeadLetters"))
    .mutation(({ ctx, input }) => replayDeadLetters(ctx, input)),
  dropDeadLetters: procedure
    .input(deadLetterSelection)
    .use(access("dropDeadLetters"))
    .mutation(({ ctx, input }) => dropDeadLetters(ctx, input)),
  // For operators (the dashboard): what is configured, and each namespace's recent jobs.
  namespaces: procedure
    .input(namespacesInput)
    .use(adminOfAnyNamespace)
    .query(({ ctx }) => listNamespaces(ctx, ctx.principal?.namespaces)),
  jobs: procedure
    .input(jobsInput)
    .use(access("jobs"))
    .query(({ ctx, input }) => recentJobs(ctx, input)),
});

/** The router's type: what the SDK imports (`import type`), never the code. */
export type AppRouter = typeof appRouter;
