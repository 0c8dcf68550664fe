/**
 * Procedure builders by the scope they need. Authorization runs after input validation because
 * it depends on the input's namespace (and on that namespace's `publicRead`).
 */
import { DEFAULT_NAMESPACE, type TokenScope } from "@cache-sync/contracts";
import { authorize } from "../auth/principal.ts";
import { namespaceSettings } from "../config/load-config.ts";
import { translated } from "./errors.ts";
import { middleware, publicProcedure } from "./init.ts";

function requireScope(scope: TokenScope, options: { publicReadAllowed?: boolean } = {}) {
  return middleware(async ({ ctx, input, path, next }) => {
    await translated(async () => {
      const namespace = (input as { namespace: string }).namespace;
      authorize(ctx.principal, scope, namespace, namespaceSettings(ctx.config, namespace), {
        action: path,
        publicReadAllowed: options.publicReadAllowed,
        anyTokensConfigured: ctx.tokensConfigured,
      });
    });
    return next();
  });
}

/**
 * For calls that name no namespace (`namespaces`): the admin scope on one namespace the token may
 * use. What such a call answers is then limited to the token's namespaces by the procedure.
 */
const adminOfAnyNamespace = middleware(async ({ ctx, path, next }) => {
  await translated(async () => {
    const own = ctx.principal?.namespaces.find((name) => name !== "*") ?? DEFAULT_NAMESPACE;
    authorize(ctx.principal, "admin", own, namespaceSettings(ctx.config, own), {
      action: path,
      anyTokensConfigured: ctx.tokensConfigured,
    });
  });
  return next();
});

export const scopes = {
  /** `get` in a publicRead namespace needs no token; everywhere else the `read` scope. */
  get: requireScope("read", { publicReadAllowed: true }),
  read: requireScope("read"),
  write: requireScope("write"),
  invalidate: requireScope("invalidate"),
  admin: requireScope("admin"),
  adminOfAnyNamespace,
};

export { publicProcedure };
