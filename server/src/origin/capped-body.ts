/**
 * Reads an origin's body up to a byte bound: by Content-Length first, then counting as it
 * streams, so an origin that sends more than a value may hold costs the Worker no more than the
 * bound. Over it: the origin failed (BAD_GATEWAY), and nothing is cached.
 */
import { CacheError } from "../errors.ts";
import { declaredOver, readCapped } from "../streams/read-capped.ts";

export async function readCappedText(response: Response, maxBytes: number, key: string): Promise<string> {
  const text = declaredOver(response.headers.get("content-length"), maxBytes) ? undefined : await readCapped(response.body, maxBytes);
  if (text !== undefined) return text;
  await response.body?.cancel().catch(() => {});
  throw new CacheError("BAD_GATEWAY", `origin body for key "${key}" is larger than ${maxBytes} bytes (origin.maxBodyBytes)`, {
    key,
    maxBodyBytes: maxBytes,
  });
}
