/**
 * What each procedure is (query or mutation) and what it needs from a caller: the one table both
 * the gate in front of tRPC (before any body is read) and the procedures themselves consult.
 */
import type { TokenScope } from "@cache-sync/contracts";

export interface ProcedureAccess {
  kind: "query" | "mutation";
  scope: TokenScope;
  /** Anonymous callers may use it in a namespace with `publicRead`. */
  publicRead: boolean;
  /** false: the input names no namespace, so none is authorized before validation. */
  namespaced?: false;
}

export const PROCEDURE_ACCESS = {
  get: { kind: "query", scope: "read", publicRead: true },
  status: { kind: "query", scope: "read", publicRead: false },
  stats: { kind: "query", scope: "read", publicRead: false },
  set: { kind: "mutation", scope: "write", publicRead: false },
  delete: { kind: "mutation", scope: "write", publicRead: false },
  invalidate: { kind: "mutation", scope: "invalidate", publicRead: false },
  flush: { kind: "mutation", scope: "admin", publicRead: false },
  warm: { kind: "mutation", scope: "admin", publicRead: false },
  deadLetters: { kind: "query", scope: "admin", publicRead: false },
  replayDeadLetters: { kind: "mutation", scope: "admin", publicRead: false },
  dropDeadLetters: { kind: "mutation", scope: "admin", publicRead: false },
  jobs: { kind: "query", scope: "admin", publicRead: false },
  // Names no namespace: the gate checks the scope only; the procedure checks admin of any one.
  namespaces: { kind: "query", scope: "admin", publicRead: false, namespaced: false },
} as const satisfies Record<string, ProcedureAccess>;

export type ProcedureName = keyof typeof PROCEDURE_ACCESS;

export function procedureAccess(name: string): ProcedureAccess | undefined {
  return Object.hasOwn(PROCEDURE_ACCESS, name) ? PROCEDURE_ACCESS[name as ProcedureName] : undefined;
}
