/**
 * The file storage's writer lock: a lock file created exclusively (`open(path, "wx")`, O_EXCL), so
 * of several processes exactly one succeeds. It names its holder (pid, host, a random token) and
 * the holder touches it every second as a heartbeat (its mtime). A lock whose holder process is
 * gone (same host) or whose heartbeat is older than 10 s is taken over.
 */
import { randomUUID } from "node:crypto";
import { open, readFile, stat, unlink, utimes } from "node:fs/promises";
import { hostname } from "node:os";
import type { QueueLock } from "../queue-storage.ts";

const HEARTBEAT_MS = 1_000;
/** Ten missed heartbeats: a holder whose event loop stalls that long is presumed dead. */
const STALE_MS = 10_000;
const RETRY_MS = 250;

interface Holder {
  pid: number;
  hostname: string;
  token: string;
}

const code = (error: unknown) => (error as NodeJS.ErrnoException).code;

/** True unless the process is known to be gone (EPERM: it exists, under another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return code(error) === "EPERM";
  }
}

async function readHolder(path: string): Promise<{ holder: Holder | undefined; ageMs: number } | undefined> {
  try {
    const [stats, text] = await Promise.all([stat(path), readFile(path, "utf8")]);
    let holder: Holder | undefined;
    try {
      holder = JSON.parse(text) as Holder;
    } catch {
      holder = undefined; // being written by its creator at this moment: judged by age alone
    }
    return { holder, ageMs: Date.now() - stats.mtimeMs };
  } catch (error) {
    if (code(error) === "ENOENT") return undefined;
    throw error;
  }
}

async function isStale(path: string): Promise<boolean> {
  const current = await readHolder(path);
  if (!current) return false; // gone: the next exclusive create decides
  if (current.ageMs > STALE_MS) return true;
  return current.holder !== undefined && current.holder.hostname === hostname() && !alive(current.holder.pid);
}

/**
 * Removes a stale lock. A second exclusive file guards the takeover, and staleness is checked
 * again under it, so two processes that both saw the old lock cannot remove a fresh one.
 */
async function takeOver(path: string): Promise<void> {
  const guard = `${path}.takeover`;
  try {
    await (await open(guard, "wx")).close();
  } catch (error) {
    if (code(error) !== "EEXIST") throw error;
    const age = await stat(guard).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > STALE_MS) await unlink(guard).catch(() => {}); // its taker died mid-way
    return;
  }
  try {
    if (await isStale(path)) await unlink(path).catch((error) => code(error) === "ENOENT" || Promise.reject(error));
  } finally {
    await unlink(guard).catch(() => {});
  }
}

async function tryCreate(path: string, holder: Holder): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, "wx");
  } catch (error) {
    if (code(error) === "EEXIST") return false;
    throw error;
  }
  try {
    await handle.writeFile(JSON.stringify(holder));
  } finally {
    await handle.close();
  }
  return true;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    timer.unref?.();
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });

/** Waits for the lock at `path` (polling), takes it over when its holder is dead, and heartbeats while held. */
export async function acquireFileLock(path: string, signal: AbortSignal): Promise<QueueLock> {
  const holder: Holder = { pid: process.pid, hostname: hostname(), token: randomUUID() };
  for (;;) {
    if (signal.aborted) throw signal.reason;
    if (await tryCreate(path, holder)) break;
    if (await isStale(path)) await takeOver(path);
    else await sleep(RETRY_MS, signal);
  }
  const lost = new AbortController();
  const stillOurs = async () => (await readHolder(path))?.holder?.token === holder.token;
  const heartbeat = setInterval(() => {
    void (async () => {
      if (!(await stillOurs())) {
        clearInterval(heartbeat);
        return lost.abort(new Error(`${path}: the queue lock was taken over`));
      }
      const now = new Date();
      await utimes(path, now, now);
    })().catch(() => {}); // a failed heartbeat is retried on the next beat
  }, HEARTBEAT_MS);
  heartbeat.unref?.(); // the lock must not keep a finished process alive; a dead holder is taken over
  return {
    lost: lost.signal,
    async release() {
      clearInterval(heartbeat);
      if (!lost.signal.aborted && (await stillOurs())) await unlink(path).catch(() => {});
    },
  };
}
