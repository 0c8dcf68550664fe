/** Queue storage in a directory, for Node backends and scripts (entry point `@cache-sync/client/node`). */
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseQueueRecord, RECORD_KEY, recordsFromVersion1, type QueueRecord, type QueueStorage } from "../queue-storage.ts";
import { acquireFileLock } from "./file-lock.ts";

/*
 * Layout: one file per record, `<dir>/<key>.json`, plus the lock file `<dir>/.lock`.
 * Why files and not an append-only log: records are immutable (written once, later removed), so a
 * file each needs no compaction, a write is atomic on its own (temporary file + rename), a removal
 * is an unlink, and processes adding entries at the same moment never touch the same file. A
 * reader caches what it parsed by name: re-listing reads only the files that are new.
 */

const LEGACY_NAME = "legacy-v1.json";
const POLL_MS = 200;
const code = (error: unknown) => (error as NodeJS.ErrnoException).code;
const ignoreMissing = (error: unknown) => {
  if (code(error) !== "ENOENT") throw error;
};

/**
 * Version 1 kept the queue in one JSON file at `path`. Move it into the new directory (renames:
 * one process wins each step, a crash between them is finished by the next start); the lock holder
 * turns it into records, so no replay can race the conversion.
 */
async function moveVersion1Aside(path: string): Promise<void> {
  const moving = `${path}.v1-moving`;
  if ((await stat(path).catch(() => undefined))?.isFile()) await rename(path, moving).catch(ignoreMissing);
  await mkdir(path, { recursive: true });
  await rename(moving, join(path, LEGACY_NAME)).catch(ignoreMissing);
}

/** The entries of a carried-over version-1 file not yet written as records: every client sees them before the lock holder converts them. */
async function legacyRecords(path: string, present: Set<string>): Promise<QueueRecord[]> {
  const text = await readFile(join(path, LEGACY_NAME), "utf8").catch(ignoreMissing);
  if (text === undefined) return [];
  const records = recordsFromVersion1(JSON.parse(text)) ?? [];
  return records.filter((record) => !present.has(`${record.key}.json`));
}

/**
 * Persists the queue in a directory (one file per entry), so a restarted process resumes it and
 * several processes can share it: the one holding the lock file replays every entry, the others
 * follow. A queue file written by an older version at `path` is carried over.
 *
 * @example
 * import { createCacheClient } from "@cache-sync/client";
 * import { fileStorage } from "@cache-sync/client/node";
 * const cache = createCacheClient({ url, storage: fileStorage("./.cache-sync/queue") });
 */
export function fileStorage(path: string): QueueStorage {
  if (typeof path !== "string" || path === "") throw new TypeError("fileStorage: give the path of the queue directory");
  const parsed = new Map<string, QueueRecord>();
  let temporaries = 0;
  let prepared: Promise<void> | undefined;
  const prepare = () =>
    (prepared ??= moveVersion1Aside(path).catch((error) => {
      prepared = undefined;
      throw error;
    }));
  const put = async (record: QueueRecord) => {
    const temporary = join(path, `.${record.key}.${process.pid}.${temporaries++}.tmp`);
    const text = JSON.stringify(record);
    await writeFile(temporary, text);
    await rename(temporary, join(path, `${record.key}.json`));
    parsed.set(`${record.key}.json`, JSON.parse(text)); // a copy: callers never share objects with the storage
  };
  /** False when the file was removed between listing and reading. */
  const read = async (name: string) => {
    const text = await readFile(join(path, name), "utf8").catch(ignoreMissing);
    if (text !== undefined) parsed.set(name, parseQueueRecord(JSON.parse(text), join(path, name)));
    return text !== undefined;
  };
  return {
    list: async () => {
      await prepare();
      // A file removed between readdir and its read was replaced by its result or dead letter, which
      // this readdir may have missed: list again rather than return an entry that vanished.
      for (;;) {
        const names = (await readdir(path)).filter((name) => name.endsWith(".json") && RECORD_KEY.test(name.slice(0, -5)));
        const present = new Set(names);
        for (const name of parsed.keys()) if (!present.has(name)) parsed.delete(name);
        const missing = names.filter((name) => !parsed.has(name));
        let complete = true;
        for (let i = 0; i < missing.length; i += 64) {
          for (const found of await Promise.all(missing.slice(i, i + 64).map(read))) complete &&= found;
        }
        if (!complete) continue;
        const records = names.flatMap((name) => parsed.get(name) ?? []);
        return (await readdir(path)).includes(LEGACY_NAME) ? [...records, ...(await legacyRecords(path, new Set(names)))] : records;
      }
    },
    write: async ({ put: records = [], remove = [] }) => {
      await prepare();
      for (const record of records) await put(record);
      for (const key of remove) await unlink(join(path, `${key}.json`)).catch(ignoreMissing);
    },
    lock: async (signal) => {
      await prepare();
      const lock = await acquireFileLock(join(path, ".lock"), signal);
      const legacy = join(path, LEGACY_NAME);
      try {
        const text = await readFile(legacy, "utf8").catch(ignoreMissing);
        if (text !== undefined) {
          const records = recordsFromVersion1(JSON.parse(text));
          if (!records) throw new Error(`${legacy}: not a cache-sync queue; move it away to start with an empty queue`);
          for (const record of records) await put(record);
          await unlink(legacy);
        }
      } catch (error) {
        await lock.release();
        throw error;
      }
      return lock;
    },
    watch: (onChange) => {
      // A directory's mtime changes whenever a file is added, renamed in or removed; every few
      // seconds the caller re-lists anyway, for file systems with coarse timestamps.
      let seen = -1;
      let ticks = 0;
      const timer = setInterval(() => {
        stat(path).then(
          (s) => (s.mtimeMs !== seen || ++ticks % 25 === 0) && ((seen = s.mtimeMs), onChange()),
          () => {},
        );
      }, POLL_MS);
      timer.unref?.();
      return () => clearInterval(timer);
    },
  };
}
