/** Queue storage in a JSON file, for Node backends and scripts (entry point `@cache-sync/client/node`). */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { parseQueueState, type QueueStorage } from "./queue-storage.ts";

/**
 * Persists the queue in a JSON file, so a restarted process resumes it. Each save writes a
 * temporary file and renames it over the old one, so a crash leaves either version, never half.
 *
 * @example
 * import { createCacheClient } from "@cache-sync/client";
 * import { fileStorage } from "@cache-sync/client/node";
 * const cache = createCacheClient({ url, storage: fileStorage("./.cache-sync/queue.json") });
 */
export function fileStorage(path: string): QueueStorage {
  if (typeof path !== "string" || path === "") throw new TypeError("fileStorage: give the path of the queue file");
  return {
    load: async () => {
      let text: string;
      try {
        text = await readFile(path, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
      return parseQueueState(JSON.parse(text), path);
    },
    save: async (state) => {
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify(state));
      await rename(temporary, path);
    },
  };
}
