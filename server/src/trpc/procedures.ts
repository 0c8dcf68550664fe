/**
 * Procedure builders by the access each procedure needs (procedure-access.ts). The gate in front
 * of tRPC has checked scope and namespace before the input was read; this check, after input
 * validation, holds for every input whatever reached it (defence in depth, and it depends on the
 * validated namespace and that namespace's `publicRead`).
 */
import { DEFAULT_NAMESPACE } from "@cache-sync/contracts";
import { authorize } from "../auth/principal.ts";
import { namespaceSettings } from "../config/load-config.ts";
import { baseProcedure, middleware } from "./init.ts";
import { PROCEDURE_ACCESS, type ProcedureName } from "./procedure-access.ts";

/** The middleware that authorizes a call of `name` for its validated input's namespace. */
export function access(name: ProcedureName) {
  const { scope, publicRead } = PROCEDURE_ACCESS[name];
  return middleware(async ({ ctx, input, path, next }) => {
    const namespace = (input as { namespace: string }).namespace;
    authorize(ctx.principal, scope, namespace, namespaceSettings(ctx.config, namespace), {
      action: path,
      publicReadAllowed: publicRead,
      anyTokensConfigured: ctx.tokensConfigured,
    });
    return next();
  });
}

/**
 * For calls that name no namespace (`namespaces`): the admin scope on one namespace the token may
 * use. What such a call answers is then limited to the token's namespaces by the procedure.
 */
export const adminOfAnyNamespace = middleware(async ({ ctx, path, next }) => {
  const own = ctx.principal?.namespaces.find((name) => name !== "*") ?? DEFAULT_NAMESPACE;
  authorize(ctx.principal, "admin", own, namespaceSettings(ctx.config, own), {
    action: path,
    anyTokensConfigured: ctx.tokensConfigured,
  });
  return next();
});

/** Every procedure of the router: the base procedure (domain errors become tRPC errors). */
export const procedure = baseProcedure;
