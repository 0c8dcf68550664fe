/**
 * The cache-sync dashboard: per-namespace stats with charts, invalidation by tag with live
 * progress, and the SDK's connection status. Served by the Worker as static assets at /dashboard/;
 * it talks to the same origin through @cache-sync/client with the token kept in sessionStorage.
 */
import { createCacheClient, isCacheError, type CacheClient } from "@cache-sync/client";
import { showConnection } from "./connection.ts";
import { jobLabel, JobRow } from "./jobs.ts";
import { NamespaceCard } from "./namespace-card.ts";
import { parseList, session, type JobRef } from "./session.ts";
import { StatsHistory } from "./stats-history.ts";

// `?interval=500` polls faster (tests, demos); the default keeps an idle tab cheap.
const POLL_MS = Math.max(250, Number(new URLSearchParams(location.search).get("interval")) || 2000);

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const login = $<HTMLFormElement>("#login");
const board = $<HTMLElement>("#board");
const settings = $<HTMLFormElement>("#settings");
const invalidateForm = $<HTMLFormElement>("#invalidate");
const jobsList = $<HTMLOListElement>("#jobs");

const cache: CacheClient = createCacheClient({ url: location.origin, token: () => session.token ?? undefined });
showConnection(cache, $("#connection"));

let cards = new Map<string, { card: NamespaceCard; history: StatsHistory }>();
let pollTimer: ReturnType<typeof setTimeout> | undefined;

function open(): void {
  const namespaces = session.namespaces;
  login.hidden = true;
  board.hidden = false;
  (settings.elements.namedItem("namespaces") as HTMLInputElement).value = namespaces.join(", ");
  const select = invalidateForm.elements.namedItem("namespace") as HTMLSelectElement;
  select.replaceChildren(...namespaces.map((ns) => new Option(ns, ns)));
  cards = new Map(namespaces.map((ns) => [ns, { card: new NamespaceCard(ns), history: new StatsHistory() }]));
  $("#namespaces").replaceChildren(...[...cards.values()].map(({ card }) => card.element));
  clearTimeout(pollTimer);
  void poll();
}

function signOut(message = ""): void {
  clearTimeout(pollTimer);
  session.token = null;
  board.hidden = true;
  login.hidden = false;
  $("[data-role=login-error]").textContent = message;
}

async function poll(): Promise<void> {
  const current = cards;
  await Promise.all(
    [...current].map(async ([namespace, { card, history }]) => {
      try {
        history.add({ at: Date.now(), stats: await cache.stats({ namespace, timeoutMs: 5000 }) });
        card.update(history);
      } catch (error) {
        if (isCacheError(error) && error.code === "UNAUTHORIZED") return signOut("That token was not accepted; enter another.");
        card.showError(describe(error));
      }
    }),
  );
  if (current !== cards || board.hidden) return;
  $("[data-role=updated]").textContent = `updated ${new Date().toLocaleTimeString()}`;
  pollTimer = setTimeout(() => void poll(), POLL_MS);
}

async function startInvalidation(namespace: string, tags: string[], mode: "purge" | "stale"): Promise<void> {
  const label = jobLabel(namespace, tags, mode);
  const row = new JobRow(label);
  jobsList.prepend(row.element);
  try {
    const handle = await cache.invalidate({ namespace, tags, mode });
    if (handle.queued) row.queued();
    const accepted = await handle.accepted;
    session.rememberJob({ id: accepted.id, namespace, label });
    row.update(accepted);
    row.update(await handle.done({ onProgress: (status) => row.update(status), maxIntervalMs: 1000 }));
  } catch (error) {
    row.failed(describe(error));
    $("[data-role=invalidate-error]").textContent = describe(error);
  }
}

/** Jobs started from this tab before a reload: shown again and followed to their end. */
async function resumeJob(job: JobRef): Promise<void> {
  const row = new JobRow(job.label);
  jobsList.append(row.element);
  for (;;) {
    try {
      const status = await cache.jobStatus(job.id, { namespace: job.namespace });
      row.update(status);
      if (status.state === "completed" || status.state === "failed") return;
    } catch (error) {
      return row.failed(describe(error));
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function describe(error: unknown): string {
  if (isCacheError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

login.addEventListener("submit", (event) => {
  event.preventDefault();
  const form = new FormData(login);
  session.token = String(form.get("token")).trim();
  session.namespaces = parseList(String(form.get("namespaces")));
  login.reset();
  open();
});

settings.addEventListener("submit", (event) => {
  event.preventDefault();
  const namespaces = parseList(String(new FormData(settings).get("namespaces")));
  if (namespaces.length > 0) session.namespaces = namespaces;
  open();
});
settings.querySelector("[data-action=sign-out]")!.addEventListener("click", () => signOut());

invalidateForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const form = new FormData(invalidateForm);
  const tags = parseList(String(form.get("tags")));
  const error = $("[data-role=invalidate-error]");
  error.textContent = "";
  if (tags.length === 0) {
    error.textContent = "Enter at least one tag.";
    return;
  }
  const mode = form.get("mode") === "stale" ? "stale" : "purge";
  void startInvalidation(String(form.get("namespace")), tags, mode);
});

if (session.token) {
  open();
  for (const job of session.jobs) void resumeJob(job);
} else {
  login.hidden = false;
}
