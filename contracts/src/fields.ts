/** Field schemas shared by several procedures. */
import { z } from "zod";
import { DEFAULT_NAMESPACE, LIMITS, utf8Bytes } from "./limits.ts";

export const namespaceSchema = z
  .string()
  .regex(LIMITS.namespacePattern, {
    message: "namespace must be 1-64 characters of a-z, 0-9, '_' or '-', starting with a letter or digit",
  });

export const optionalNamespace = namespaceSchema.default(DEFAULT_NAMESPACE);

export const keySchema = z
  .string()
  .min(1, { message: "key must not be empty" })
  .refine((key) => utf8Bytes(key) <= LIMITS.keyMaxBytes, {
    message: `key must be at most ${LIMITS.keyMaxBytes} bytes (UTF-8)`,
  });

export const tagSchema = z
  .string()
  .min(1, { message: "tag must not be empty" })
  .max(LIMITS.tagMaxChars, { message: `tag must be at most ${LIMITS.tagMaxChars} characters` });

export const tagsSchema = z
  .array(tagSchema)
  .max(LIMITS.tagsPerEntry, { message: `at most ${LIMITS.tagsPerEntry} tags per entry` });

export const durationMsSchema = z.number().int().min(0).max(LIMITS.maxDurationMs);

export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(LIMITS.idempotencyKeyMaxChars, {
    message: `idempotencyKey must be at most ${LIMITS.idempotencyKeyMaxChars} characters`,
  });

/** Any JSON value; the byte limit depends on the namespace and is checked by the server. */
export const jsonValueSchema = z.json();
export type JsonValue = z.infer<typeof jsonValueSchema>;
