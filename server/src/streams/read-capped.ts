/**
 * Reads a body stream as UTF-8 text up to a byte bound, counting as it streams and cancelling
 * the stream past the bound, so a sender gets no more of our memory than the bound. Used for
 * request bodies and origin answers alike.
 */
const decoder = new TextDecoder();

/** The text, or undefined when the stream held more than `maxBytes` (it is then cancelled). */
export async function readCapped(stream: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<string | undefined> {
  if (stream === null) return "";
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decoder.decode(bytes);
}

/** Whether a Content-Length header already says the body is over the bound (no need to read it). */
export function declaredOver(contentLength: string | null, maxBytes: number): boolean {
  return contentLength !== null && Number(contentLength) > maxBytes;
}
