/**
 * JSON Schema (draft 2020-12) of every procedure's input and output, from the zod schemas, so
 * clients in other languages can generate their own types, and the error contract (errors.ts).
 * Published as schema/procedures.json.
 */
import { z } from "zod";
import { ERROR_CODES, ERROR_DETAILS, errorEnvelope } from "./errors.ts";
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
} from "./procedures.ts";
import {
  deadLettersResult,
  deleteResult,
  dropDeadLettersResult,
  flushResult,
  getResult,
  invalidationStatus,
  jobsResult,
  namespacesResult,
  namespaceStats,
  replayDeadLettersResult,
  setResult,
} from "./results.ts";

/** Each procedure of the wire contract with its kind and schemas (docs/design.md "Wire contract"). */
export const PROCEDURES = {
  get: { kind: "query", input: getInput, output: getResult },
  set: { kind: "mutation", input: setInput, output: setResult },
  delete: { kind: "mutation", input: deleteInput, output: deleteResult },
  invalidate: { kind: "mutation", input: invalidateInput, output: invalidationStatus },
  status: { kind: "query", input: statusInput, output: invalidationStatus },
  stats: { kind: "query", input: statsInput, output: namespaceStats },
  flush: { kind: "mutation", input: flushInput, output: flushResult },
  warm: { kind: "mutation", input: warmInput, output: invalidationStatus },
  deadLetters: { kind: "query", input: deadLettersInput, output: deadLettersResult },
  replayDeadLetters: { kind: "mutation", input: deadLetterSelection, output: replayDeadLettersResult },
  dropDeadLetters: { kind: "mutation", input: deadLetterSelection, output: dropDeadLettersResult },
  namespaces: { kind: "query", input: namespacesInput, output: namespacesResult },
  jobs: { kind: "query", input: jobsInput, output: jobsResult },
} as const;

/**
 * The published document. Inputs are described as a caller may send them (defaults optional),
 * outputs as the server sends them. Rules zod cannot express in JSON Schema (e.g. "at least one
 * selector") are enforced by the server and reported as BAD_REQUEST.
 */
export function procedureJsonSchemas() {
  const procedures = Object.fromEntries(
    Object.entries(PROCEDURES).map(([name, procedure]) => [
      name,
      {
        kind: procedure.kind,
        input: z.toJSONSchema(procedure.input, { io: "input", unrepresentable: "any" }),
        output: z.toJSONSchema(procedure.output, { io: "output", unrepresentable: "any" }),
      },
    ]),
  );
  return {
    $comment: "Generated from @cache-sync/contracts by `npm run generate -w contracts`; do not edit.",
    transport: "tRPC v11 over HTTP at /trpc, no transformer, batching enabled",
    procedures,
    errors: errorJsonSchemas(),
  };
}

/**
 * The error contract: the envelope every error answer has, and each code's HTTP status, whether
 * it may be retried, whether it carries `Retry-After`, and the shape of its `data.details`.
 */
function errorJsonSchemas() {
  const codes = Object.fromEntries(
    Object.entries(ERROR_CODES).map(([code, spec]) => {
      const details = (ERROR_DETAILS as Record<string, z.ZodType>)[code];
      return [code, details ? { ...spec, details: z.toJSONSchema(details, { io: "output" }) } : spec];
    }),
  );
  return { envelope: z.toJSONSchema(errorEnvelope, { io: "output" }), codes };
}
