/**
 * How browser clients of one storage coordinate: the Web Locks API elects the one that replays,
 * and a BroadcastChannel tells the others that the storage changed. Both reach every tab, worker
 * and frame of the origin.
 */
import { namedLocalLock } from "./local-lock.ts";
import type { QueueLock } from "./queue-storage.ts";

interface LockManagerLike {
  request(name: string, options: { mode: "exclusive"; signal: AbortSignal }, callback: () => Promise<void>): Promise<unknown>;
}

interface BroadcastChannelLike {
  postMessage(message: unknown): void;
  close(): void;
  onmessage: ((event: unknown) => void) | null;
  unref?: () => void;
}

/**
 * The storage's writer lock, named after it. Web Locks release it when the holding tab closes or
 * crashes, so a dead holder never blocks the queue. Where they are missing (insecure origins,
 * old browsers) only the clients of this page are coordinated.
 */
export function browserLock(name: string): (signal: AbortSignal) => Promise<QueueLock> {
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  if (typeof locks?.request !== "function") return namedLocalLock(name);
  return (signal) =>
    new Promise<QueueLock>((resolve, reject) => {
      let release!: () => void;
      const held = new Promise<void>((done) => (release = done));
      // The lock is held for as long as the callback's promise is pending.
      locks
        .request(name, { mode: "exclusive", signal }, () => {
          resolve({ lost: new AbortController().signal, release: async () => release() });
          return held;
        })
        .catch(reject); // aborted while waiting
    });
}

/** Change notices between the clients of one storage (a writer may hear its own, which costs a re-read only). */
export function storageChannel(name: string): { notify(): void; watch(onChange: () => void): () => void } {
  const Channel = (globalThis as { BroadcastChannel?: new (name: string) => BroadcastChannelLike }).BroadcastChannel;
  let sender: BroadcastChannelLike | undefined;
  return {
    notify() {
      if (!Channel) return;
      if (!sender) {
        sender = new Channel(name);
        sender.unref?.(); // Node: the channel must not keep a finished process alive
      }
      sender.postMessage("changed");
    },
    watch(onChange) {
      if (!Channel) return () => {};
      const channel = new Channel(name);
      channel.unref?.();
      channel.onmessage = () => onChange();
      return () => channel.close();
    },
  };
}
