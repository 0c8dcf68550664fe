/**
 * The cache-hit path, without the general tRPC machinery: a single (unbatched) `GET
 * /trpc/get?input=…` whose input is valid and whose caller may read is answered here, in tRPC's
 * exact success shape (`{"result":{"data":…}}`). Anything else — a batch, bad input, a refused
 * caller — falls through to the tRPC handler, which produces the errors, so there is one error
 * path. Domain errors of the read itself (origin down) are answered here in the same shape.
 */
import { getInput } from "@cache-sync/contracts";
import type { Context } from "hono";
import { authorize } from "../auth/principal.ts";
import type { AuthVariables } from "../auth/authenticate.ts";
import { loadTokens } from "../auth/tokens.ts";
import { loadConfig, namespaceSettings } from "../config/load-config.ts";
import { CacheError } from "../errors.ts";
import { jsonError } from "../http/json-error.ts";
import { getEntry } from "../service/cache-operations.ts";

type AppContext = Context<{ Bindings: Env; Variables: AuthVariables }>;

export async function fastGet(c: AppContext, next: () => Promise<void>): Promise<Response | void> {
  const raw = c.req.query("input");
  if (raw === undefined || c.req.query("batch") !== undefined) return next();
  let input: unknown;
  try {
    input = JSON.parse(raw);
  } catch {
    return next();
  }
  const parsed = getInput.safeParse(input);
  if (!parsed.success) return next();
  const config = loadConfig(c.env.CACHE_CONFIG);
  const request = parsed.data;
  try {
    authorize(c.get("principal"), "read", request.namespace, namespaceSettings(config, request.namespace), {
      action: "get",
      publicReadAllowed: true,
      anyTokensConfigured: loadTokens(c.env.CACHE_TOKENS).length > 0,
    });
  } catch {
    return next();
  }
  try {
    return c.json({ result: { data: await getEntry({ env: c.env, config }, request) } });
  } catch (error) {
    if (!(error instanceof CacheError)) throw error;
    const details = error.data;
    return jsonError(error.code, error.message, { path: "get", ...(details ? { details } : {}) });
  }
}
