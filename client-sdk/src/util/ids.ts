/** Random ids for queued mutations and their idempotency keys. */

/** A random UUID; `crypto.randomUUID` exists in browsers (secure contexts), Node ≥ 19 and Workers. */
export function randomId(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === "function") return c.randomUUID();
  // Non-secure browser contexts (plain http) lack randomUUID but have getRandomValues.
  const bytes = c.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
