/** An exclusive lock inside one JavaScript realm (one page, one process): waiters get it in turn. */
import type { QueueLock } from "./queue-storage.ts";

/**
 * A lock for clients of one realm. It cannot see other tabs or processes: it is the memory
 * storage's lock, and the browser adapters' fallback where Web Locks are missing.
 */
export function localLock(): (signal: AbortSignal) => Promise<QueueLock> {
  let holder: QueueLock | undefined;
  const waiting: Array<() => void> = [];
  const grant = (): QueueLock => {
    const lock: QueueLock = {
      lost: new AbortController().signal, // nobody can take it: a realm's holder dies with the realm
      release: async () => {
        if (holder !== lock) return;
        holder = undefined;
        waiting.shift()?.();
      },
    };
    return (holder = lock);
  };
  return (signal) =>
    new Promise<QueueLock>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      if (!holder) return resolve(grant());
      const turn = () => {
        signal.removeEventListener("abort", onAbort);
        resolve(grant());
      };
      const onAbort = () => {
        waiting.splice(waiting.indexOf(turn), 1);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      waiting.push(turn);
    });
}

/** One lock per name in this realm, so every adapter opened on the same store shares it. */
const named = new Map<string, (signal: AbortSignal) => Promise<QueueLock>>();
export function namedLocalLock(name: string): (signal: AbortSignal) => Promise<QueueLock> {
  let lock = named.get(name);
  if (!lock) named.set(name, (lock = localLock()));
  return lock;
}
