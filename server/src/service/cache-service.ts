/**
 * The service-binding front door: another Worker bound to this one calls these RPC methods with
 * the same inputs and outputs as the tRPC procedures, and no network hop. A binding is granted by
 * the account owner in wrangler config, so it is trusted like an admin token.
 *
 * Errors come back as values (`Outcome`), because RPC drops an error's code; the SDK's binding
 * transport turns them into the same errors the HTTP transport throws.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
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
  type DeadLetterSelectionInput,
  type DeadLettersInput,
  type DeleteInput,
  type FlushInput,
  type GetInput,
  type InvalidateInput,
  type JobsInput,
  type NamespacesInput,
  type SetInput,
  type StatsInput,
  type StatusInput,
  type WarmInput,
} from "@cache-sync/contracts";
import type { z } from "zod";
import { loadConfig } from "../config/load-config.ts";
import { settle, type Outcome } from "../errors.ts";
import { validated } from "../validation/zod-errors.ts";
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
  type OperationContext,
} from "./cache-operations.ts";
import { dropDeadLetters, listDeadLetters, replayDeadLetters } from "./dead-letter-operations.ts";

export class CacheService extends WorkerEntrypoint<Env> {
  get(input: GetInput) {
    return this.run(getInput, input, getEntry);
  }

  set(input: SetInput) {
    return this.run(setInput, input, setEntry);
  }

  delete(input: DeleteInput) {
    return this.run(deleteInput, input, deleteEntry);
  }

  stats(input: StatsInput = {}) {
    return this.run(statsInput, input, (context, request) => namespaceStats(context, request.namespace));
  }

  invalidate(input: InvalidateInput) {
    return this.run(invalidateInput, input, invalidate);
  }

  status(input: StatusInput) {
    return this.run(statusInput, input, jobStatus);
  }

  warm(input: WarmInput) {
    return this.run(warmInput, input, warmKeys);
  }

  flush(input: FlushInput = {}) {
    return this.run(flushInput, input, (context, request) => flushNamespace(context, request.namespace));
  }

  deadLetters(input: DeadLettersInput = {}) {
    return this.run(deadLettersInput, input, listDeadLetters);
  }

  replayDeadLetters(input: DeadLetterSelectionInput) {
    return this.run(deadLetterSelection, input, replayDeadLetters);
  }

  dropDeadLetters(input: DeadLetterSelectionInput) {
    return this.run(deadLetterSelection, input, dropDeadLetters);
  }

  namespaces(input: NamespacesInput = {}) {
    return this.run(namespacesInput, input, async (context) => listNamespaces(context));
  }

  jobs(input: JobsInput = {}) {
    return this.run(jobsInput, input, recentJobs);
  }

  private run<S extends z.ZodType, T>(
    schema: S,
    input: unknown,
    operation: (context: OperationContext, request: z.output<S>) => Promise<T>,
  ): Promise<Outcome<T>> {
    return settle(() => operation({ env: this.env, config: loadConfig(this.env.CACHE_CONFIG) }, validated(schema, input)));
  }
}
