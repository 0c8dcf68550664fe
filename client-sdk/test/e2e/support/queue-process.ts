/**
 * A separate Node process with a cache client on a shared file storage, driven by its parent over
 * IPC: it queues a workload, then reports how each of its own mutations ended.
 */
import { createCacheClient, type CacheClient, type SetResult, type DeleteResult } from "../../../src/index.ts";
import { fileStorage } from "../../../src/node.ts";
import { queueWorkload, type WorkloadOutcome } from "./workload.ts";

export type ParentMessage =
  | { type: "queue"; dir: string; url: string; token: string; prefix: string }
  | { type: "settle" }
  | { type: "close" };

export type ChildMessage =
  | { type: "queued"; queued: number }
  | { type: "settled"; outcomes: WorkloadOutcome[]; deadLetters: number; pending: number; status: string }
  | { type: "error"; message: string };

let cache: CacheClient | undefined;
let applied: Array<{ procedure: "set" | "delete"; key: string; applied: Promise<SetResult | DeleteResult> }> = [];
const reply = (message: ChildMessage) => process.send!(message);

process.on("message", (message: ParentMessage) => {
  void (async () => {
    if (message.type === "queue") {
      cache = createCacheClient({
        url: message.url,
        token: message.token,
        namespace: "notes",
        storage: fileStorage(message.dir),
        retry: { initialDelayMs: 50, maxDelayMs: 250 },
        timeoutMs: 30_000,
      });
      applied = await queueWorkload(cache, message.prefix);
      reply({ type: "queued", queued: applied.length });
    } else if (message.type === "settle") {
      const outcomes = await Promise.all(applied.map(async (a) => ({ procedure: a.procedure, key: a.key, result: await a.applied })));
      await cache!.sync({ timeoutMs: 60_000 });
      reply({ type: "settled", outcomes, deadLetters: cache!.deadLetters.length, pending: cache!.pending, status: cache!.status });
    } else {
      await cache?.close();
      process.disconnect();
    }
  })().catch((error: unknown) => reply({ type: "error", message: String((error as Error)?.stack ?? error) }));
});
