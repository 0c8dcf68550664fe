/**
 * Reads a request body up to a bound, refusing a bigger one with 413: by Content-Length when
 * given, before reading anything, and by counting as it streams otherwise. Locally workerd
 * buffers any body whole, so this is our only bound.
 */
import { CacheError } from "../errors.ts";
import { declaredOver, readCapped } from "../streams/read-capped.ts";

export async function readBoundedText(request: Request, maxBytes: number): Promise<string> {
  const text = declaredOver(request.headers.get("Content-Length"), maxBytes) ? undefined : await readCapped(request.body, maxBytes);
  if (text !== undefined) return text;
  await request.body?.cancel().catch(() => {});
  throw new CacheError(
    "PAYLOAD_TOO_LARGE",
    `request body is larger than ${maxBytes} bytes; values are limited per namespace (maxValueBytes)`,
  );
}
