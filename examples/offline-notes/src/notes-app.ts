/**
 * The offline notes page. Notes live in cache-sync (`note:<id>`, and the list of ids in `index`);
 * saving is `cache.set`. Offline, the SDK queues each save in IndexedDB (so a reload keeps it) and
 * the page says so; back online the queue replays in order, each save applied once, and the page
 * reloads the notes from the cache to show the reconciled state.
 */
import { createCacheClient, indexedDbStorage, type CacheClient } from "@cache-sync/client";

interface Note {
  title: string;
  text: string;
  updatedAt: number;
}

interface PageConfig {
  cacheUrl: string;
  token: string;
  namespace: string;
}

const notes = new Map<string, Note>();
let cache: CacheClient;

const status = document.querySelector<HTMLElement>("#sync-status")!;
const list = document.querySelector<HTMLElement>("#notes")!;

/** The live region: what a user (or a screen reader) needs to know about unsaved work. */
function renderStatus(): void {
  const queued = cache.pending;
  const edits = `${queued} edit${queued === 1 ? "" : "s"}`;
  const text =
    cache.status === "offline"
      ? queued === 0
        ? "Offline · nothing to sync"
        : `Offline · ${edits} queued, will sync when back online`
      : cache.status === "syncing" || queued > 0
        ? `Syncing ${edits}…`
        : "Online · all changes saved";
  if (status.textContent !== text) status.textContent = text;
  status.dataset.status = cache.status;
}

function renderNotes(): void {
  list.replaceChildren(
    ...[...notes].map(([id, note]) => {
      const form = document.createElement("form");
      form.className = "note";
      form.dataset.noteId = id;
      const title = document.createElement("strong");
      title.textContent = note.title;
      const text = document.createElement("textarea");
      text.name = "text";
      text.value = note.text;
      text.setAttribute("aria-label", `Text of ${note.title}`);
      const save = document.createElement("button");
      save.type = "submit";
      save.textContent = "Save";
      const state = document.createElement("span");
      state.className = "state";
      form.append(title, text, save, state);
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        void saveNote(id, { ...note, text: text.value, updatedAt: Date.now() }, state);
      });
      return form;
    }),
  );
}

/**
 * Writes of one key, one after another. Two writes in flight at once are two HTTP requests that may
 * land in either order, so an edit made while the note's first (empty) write is still on its way
 * could otherwise be overwritten by it.
 */
const lastWrite = new Map<string, Promise<unknown>>();
function writeInOrder<T>(key: string, write: () => Promise<T>): Promise<T> {
  const next = (lastWrite.get(key) ?? Promise.resolve()).catch(() => {}).then(write);
  lastWrite.set(key, next);
  return next;
}

async function saveNote(id: string, note: Note, state: HTMLElement): Promise<void> {
  notes.set(id, note);
  const outcome = await writeInOrder(`note:${id}`, () => cache.set(`note:${id}`, { ...note }));
  state.textContent = outcome.queued ? "queued" : "saved";
}

async function addNote(title: string): Promise<void> {
  const id = crypto.randomUUID().slice(0, 8);
  notes.set(id, { title, text: "", updatedAt: Date.now() });
  renderNotes();
  await writeInOrder(`note:${id}`, () => cache.set(`note:${id}`, { ...notes.get(id)! }));
  await writeInOrder("index", () => cache.set("index", [...notes.keys()]));
}

/** Reads every note from the cache (queued writes answer from the queue: read-your-writes). */
async function loadNotes(): Promise<void> {
  const index = await cache.get<string[]>("index");
  const ids = index.value ?? [];
  const entries = await Promise.all(ids.map((id) => cache.get<Note>(`note:${id}`)));
  notes.clear();
  ids.forEach((id, i) => {
    const value = entries[i]!.value;
    if (value) notes.set(id, value);
  });
  renderNotes();
}

async function main(): Promise<void> {
  const config = (await (await fetch("./config.json")).json()) as PageConfig;
  cache = createCacheClient({
    url: config.cacheUrl,
    token: config.token,
    namespace: config.namespace,
    storage: indexedDbStorage({ database: "offline-notes" }),
    retry: { initialDelayMs: 200, maxDelayMs: 2_000 },
  });
  cache.subscribe((event) => {
    if (event.type === "status" || event.type === "pending") renderStatus();
    // Reconcile: once everything queued has reached the server, show what the server has.
    if (event.type === "status" && event.status === "online" && cache.pending === 0) void loadNotes().catch(() => {});
  });
  await cache.ready;
  renderStatus();
  await loadNotes().catch(() => renderNotes());
  document.querySelector<HTMLFormElement>("#new-note")!.addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const title = String(new FormData(form).get("title")).trim();
    form.reset();
    if (title) void addNote(title);
  });
  document.body.dataset.ready = "true";
}

void main();
