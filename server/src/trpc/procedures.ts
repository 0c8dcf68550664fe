/**
 * Procedure builders by the access each procedure needs (procedure-access.ts). The gate in front
 * of tRPC has checked scope and namespace before the input was read; this check, after input
 * validation, holds for every input whatever reached it (defence in depth, and it depends on the
 * validated namespace and that namespace's `publicRead`).
 */
import { authorize } from "../auth/principal.ts";
import { namespaceSettings } from "../config/load-config.ts";
import { translated } from "./errors.ts";
import { middleware, publicProcedure } from "./init.ts";
import { PROCEDURE_ACCESS, type ProcedureName } from "./procedure-access.ts";

/** The middleware that authorizes a call of `name` for its validated input's namespace. */
export function access(name: ProcedureName) {
  const { scope, publicRead } = PROCEDURE_ACCESS[name];
  return middleware(async ({ ctx, input, path, next }) => {
    await translated(async () => {
      const namespace = (input as { namespace: string }).namespace;
      authorize(ctx.principal, scope, namespace, namespaceSettings(ctx.config, namespace), {
        action: path,
        publicReadAllowed: publicRead,
        anyTokensConfigured: ctx.tokensConfigured,
      });
    });
    return next();
  });
}

export { publicProcedure };
