/** Who is calling, and what a procedure needs from them. */
import type { NamespaceConfig, TokenConfig, TokenScope } from "@cache-sync/contracts";
import { CacheError } from "../errors.ts";

/** A caller with a valid token, or `null` for an anonymous caller. */
export type Principal = TokenConfig | null;

export interface AuthorizeOptions {
  /** What is being done, for the message ("set", "the read-through proxy"). */
  action: string;
  /** Anonymous callers may read with it in a `publicRead` namespace (get and the proxy). */
  publicReadAllowed?: boolean;
  anyTokensConfigured: boolean;
}

/**
 * Throws 401/403 unless the caller may use `scope` on `namespace`. `admin` includes every other
 * scope. Anonymous callers may only `read` a namespace with `publicRead`, and only through `get`
 * and the proxy (`publicReadAllowed`).
 */
export function authorize(
  principal: Principal,
  scope: TokenScope,
  namespace: string,
  settings: NamespaceConfig,
  options: AuthorizeOptions,
): void {
  if (options.publicReadAllowed && scope === "read" && settings.publicRead) return;
  authorizeScope(principal, scope, { ...options, publicReadAllowed: false });
  if (principal !== null && !principal.namespaces.includes("*") && !principal.namespaces.includes(namespace)) {
    throw new CacheError("FORBIDDEN", `token "${principal.id}" may not use namespace "${namespace}"`, {
      tokenId: principal.id,
      namespace,
    });
  }
}

/**
 * The part of `authorize` that needs no namespace, so it can run before a request's body is read:
 * throws 401/403 unless the caller holds `scope`. An anonymous caller passes only where
 * `publicReadAllowed` leaves the verdict to the namespace (`authorize`).
 */
export function authorizeScope(principal: Principal, scope: TokenScope, options: AuthorizeOptions): void {
  if (principal === null) {
    if (options.publicReadAllowed && scope === "read") return;
    if (!options.anyTokensConfigured) {
      throw new CacheError(
        "UNAUTHORIZED",
        "no tokens are configured on this deployment (CACHE_TOKENS), so every call that needs one is refused",
      );
    }
    throw new CacheError("UNAUTHORIZED", `${options.action} needs a token: send "Authorization: Bearer <token>"`);
  }
  if (!principal.scopes.includes(scope) && !principal.scopes.includes("admin")) {
    throw new CacheError("FORBIDDEN", `token "${principal.id}" lacks the "${scope}" scope needed for ${options.action}`, {
      tokenId: principal.id,
      missingScope: scope,
    });
  }
}
