/** Epoch milliseconds for people. */
export function isoTime(epochMs: number | null): string {
  return epochMs === null ? "—" : new Date(epochMs).toISOString();
}
