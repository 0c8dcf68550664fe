// The browser's `offline` event arriving while a replay is still finishing (a slow storage, such as
// IndexedDB) must leave the client offline: the replay's end may not report it online again.
import { afterEach, expect, it } from "vitest";
import { createCacheClient, memoryStorage, type CacheClient, type NetworkSignals, type QueueStorage } from "../../src/index.ts";

let cache: CacheClient | undefined;
afterEach(() => cache?.close());

/** A storage whose listings, while `held`, wait to be released one by one (`nextListing`). */
function holdableStorage() {
  const inner = memoryStorage();
  const waiting: (() => void)[] = [];
  let started = () => {};
  const state = {
    held: false,
    /** Resolves with the release of the next listing that starts waiting. */
    async nextListing(): Promise<() => void> {
      while (waiting.length === 0) await new Promise<void>((resolve) => (started = resolve));
      return waiting.shift()!;
    },
  };
  const storage: QueueStorage = {
    list: async () => {
      if (state.held) {
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          started();
        });
      }
      return inner.list();
    },
    write: (batch) => inner.write(batch),
    lock: inner.lock && ((signal) => inner.lock!(signal)),
    watch: inner.watch && ((onChange) => inner.watch!(onChange)),
  };
  return { storage, state };
}

/** Online/offline signals the test switches with `set`, as the browser's events would. */
function fakeNetwork() {
  const listeners = new Set<(online: boolean) => void>();
  let online = true;
  const signals: NetworkSignals = {
    isOnline: () => online,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    signals,
    get online() {
      return online;
    },
    set(value: boolean) {
      online = value;
      for (const listener of listeners) listener(value);
    },
  };
}

it("stays offline when the offline event comes while the writer's replay is still looking at the queue", async () => {
  const { storage, state } = holdableStorage();
  const network = fakeNetwork();
  state.held = true;
  cache = createCacheClient({ url: "http://127.0.0.1:9", storage, network: network.signals });
  // The client lists the queue when it starts, the writer again once it has the lock, and then
  // replays it: an empty queue's replay lists it once more before it reports the client online.
  // Go offline during that last listing.
  (await state.nextListing())();
  (await state.nextListing())();
  const replayListing = await state.nextListing();
  network.set(false);
  expect(cache.status).toBe("offline");
  state.held = false;
  replayListing();
  for (let tick = 0; tick < 20; tick++) await new Promise((resolve) => setTimeout(resolve, 1)); // the replay ends
  expect(network.online).toBe(false);
  expect(cache.status).toBe("offline");
});
