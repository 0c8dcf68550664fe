/**
 * The cache-hit path, without the general tRPC machinery: a single (unbatched) `GET
 * /trpc/get?input=…` whose input is valid is answered here, in tRPC's exact success shape
 * (`{"result":{"data":…}}`). The gate has already identified, rate limited and authorized the
 * caller for the input's namespace, and parsed the input (trpc-path.ts). Anything else — a batch,
 * bad input — falls through to the tRPC handler, which produces the errors, so there is one
 * error path. Domain errors of the read itself (origin down) are thrown to the app's one error
 * boundary (http/render-error.ts), which answers in the same shape.
 */
import { getInput, parseCommonGetInput } from "@cache-sync/contracts";
import type { Context } from "hono";
import type { AppEnv } from "../app-env.ts";
import { loadConfig } from "../config/load-config.ts";
import { readAnswer } from "../service/cache-operations.ts";
import { answerJson } from "../shard/get-answer.ts";

const JSON_CONTENT_TYPE = { "content-type": "application/json" };

export async function fastGet(c: Context<AppEnv>, next: () => Promise<void>): Promise<Response | void> {
  const call = c.get("trpcCall");
  const inputs = c.get("trpcInputs");
  // No `?input=` parses as an undefined input, which the schema refuses: tRPC answers it.
  if (call.batch || inputs === undefined) return next();
  // The common shape is checked without zod (contracts/src/common-get-input.ts); the rest by the schema.
  let request = parseCommonGetInput(inputs[0]);
  if (request === undefined) {
    const parsed = getInput.safeParse(inputs[0]);
    if (!parsed.success) return next();
    request = parsed.data;
  }
  c.set("procedure", "get"); // a thrown error is rendered by app.onError, naming the procedure as tRPC would
  const answer = await readAnswer({ env: c.env, config: loadConfig(c.env.CACHE_CONFIG) }, request);
  // tRPC's success envelope around the value's JSON text as the shard holds it: no re-encoding.
  return c.body(`{"result":{"data":${answerJson(answer)}}}`, 200, JSON_CONTENT_TYPE);
}
