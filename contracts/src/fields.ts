/** Field schemas shared by several procedures. */
import { z } from "zod";
import { jsonValueProblem } from "./json-value.ts";
import { DEFAULT_NAMESPACE, LIMITS, utf8Bytes } from "./limits.ts";

export const namespaceSchema = z.string().regex(LIMITS.namespacePattern, {
  message: "namespace must be 1-64 characters of a-z, 0-9, '_' or '-', starting with a letter or digit",
});

export const optionalNamespace = namespaceSchema.default(DEFAULT_NAMESPACE);

// A lone surrogate has no UTF-8 form: such a key could not be stored, routed or put in a URL as itself.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The key's byte limit, as `keySchema` checks it (and `parseCommonGetInput`, without zod). */
export const keyFitsBytes = (key: string): boolean => utf8Bytes(key) <= LIMITS.keyMaxBytes;
/** Whether the key is valid Unicode, as `keySchema` checks it. */
export const keyIsWellFormed = (key: string): boolean => !LONE_SURROGATE.test(key);

export const keySchema = z
  .string()
  .min(1, { message: "key must not be empty" })
  .refine(keyFitsBytes, { message: `key must be at most ${LIMITS.keyMaxBytes} bytes (UTF-8)` })
  .refine(keyIsWellFormed, { message: "key must be valid Unicode (it holds a lone surrogate)" });

export const tagSchema = z
  .string()
  .min(1, { message: "tag must not be empty" })
  .max(LIMITS.tagMaxChars, { message: `tag must be at most ${LIMITS.tagMaxChars} characters` })
  .regex(LIMITS.tagPattern, {
    // The tag itself, escaped (JSON), so a control character in it is visible in the message.
    error: (issue) =>
      `tag ${JSON.stringify(issue.input)} must be printable ASCII without spaces or commas (tags go into the Cache-Tag header)`,
  });

export const tagsSchema = z.array(tagSchema).max(LIMITS.tagsPerEntry, { message: `at most ${LIMITS.tagsPerEntry} tags per entry` });

export const durationMsSchema = z.number().int().min(0).max(LIMITS.maxDurationMs);

export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(LIMITS.idempotencyKeyMaxChars, {
    message: `idempotencyKey must be at most ${LIMITS.idempotencyKeyMaxChars} characters`,
  });

/** The type of a JSON value (zod's own, so generated SDK types keep their `JsonValue` name). */
const jsonShape = z.json();
export type JsonValue = z.infer<typeof jsonShape>;

/**
 * Any JSON value, at most `LIMITS.valueMaxDepth` deep and `LIMITS.valueMaxNodes` nodes, checked
 * by one cheap walk (json-value.ts) rather than a recursive union. The byte limit depends on the
 * namespace and is checked by the server. JSON Schema: `{}` (any JSON) with the limits described.
 */
export const jsonValueSchema = z
  .custom<JsonValue>()
  .superRefine((value, ctx) => {
    const problem = jsonValueProblem(value);
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
  })
  .meta({
    description: `Any JSON value, at most ${LIMITS.valueMaxDepth} levels deep and ${LIMITS.valueMaxNodes} nodes`,
  });
