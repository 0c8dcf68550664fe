/**
 * The cache-sync dashboard: the namespaces configured on the server, each with its stats and
 * charts; invalidate, warm and flush on a selected namespace, whose recent jobs are listed with
 * live progress; and the SDK's connection status. Served by the Worker as static assets at
 * /dashboard/; it talks to the same origin through @cache-sync/client (and the two admin queries
 * in admin-api.ts) with the token kept in sessionStorage.
 */
import { createCacheClient, isCacheError, type CacheClient } from "@cache-sync/client";
import { adminQuery } from "./admin-api.ts";
import { wireCacheActions } from "./cache-actions.ts";
import { showConnection } from "./connection.ts";
import { clock } from "./format.ts";
import { JobList } from "./job-list.ts";
import { NamespaceCard, type NamespaceSummary } from "./namespace-card.ts";
import { initialChoice, renderPicker, renderSelect } from "./namespace-picker.ts";
import { session } from "./session.ts";
import { StatsHistory } from "./stats-history.ts";

// `?interval=500` polls faster (tests, demos); the default keeps an idle tab cheap.
const POLL_MS = Math.max(250, Number(new URLSearchParams(location.search).get("interval")) || 2000);

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const login = $<HTMLFormElement>("#login");
const board = $<HTMLElement>("#board");
const opsNamespace = $<HTMLSelectElement>("#ops-namespace");

const cache: CacheClient = createCacheClient({ url: location.origin, token: () => session.token ?? undefined });
showConnection(cache, $("#connection"));

const token = () => session.token ?? "";
const jobs = new JobList({
  list: $("#jobs"),
  fetchJobs: (namespace) => adminQuery("jobs", { namespace }, token()),
  pollMs: POLL_MS,
  onError: (error) => {
    if (!signedOutBy(error)) $("[data-role=jobs-error]").textContent = describe(error);
  },
});

let configured: NamespaceSummary[] = [];
let cards = new Map<string, { card: NamespaceCard; history: StatsHistory }>();
let pollTimer: ReturnType<typeof setTimeout> | undefined;
let retryTimer: ReturnType<typeof setTimeout> | undefined;

async function open(): Promise<void> {
  login.hidden = true;
  board.hidden = false;
  clearTimeout(retryTimer);
  try {
    configured = (await adminQuery("namespaces", undefined, token())).namespaces;
  } catch (error) {
    if (signedOutBy(error)) return;
    $("[data-role=namespace-error]").textContent = `${describe(error)}; trying again…`;
    retryTimer = setTimeout(() => void open(), POLL_MS);
    return;
  }
  $("[data-role=namespace-error]").textContent = "";
  const shown = initialChoice(configured, session.shown);
  renderPicker($("#namespace-list"), configured, shown, (chosen) => {
    session.shown = chosen;
    showCards(chosen);
  });
  const names = configured.map((ns) => ns.name);
  const selected = names.includes(session.selected ?? "") ? session.selected! : (shown[0] ?? names[0] ?? "default");
  renderSelect(opsNamespace, configured, selected);
  selectNamespace(selected);
  showCards(shown);
}

function showCards(names: string[]): void {
  cards = new Map(
    configured
      .filter((ns) => names.includes(ns.name))
      .map((ns) => [ns.name, cards.get(ns.name) ?? { card: new NamespaceCard(ns), history: new StatsHistory() }]),
  );
  $("#namespaces").replaceChildren(...[...cards.values()].map(({ card }) => card.element));
  clearTimeout(pollTimer);
  void poll();
}

function selectNamespace(namespace: string): void {
  session.selected = namespace;
  $("[data-role=jobs-namespace]").textContent = namespace;
  $("[data-role=jobs-error]").textContent = "";
  jobs.follow(namespace);
}

function signOut(message = ""): void {
  clearTimeout(pollTimer);
  clearTimeout(retryTimer);
  jobs.stop();
  session.token = null;
  board.hidden = true;
  login.hidden = false;
  $("[data-role=login-error]").textContent = message;
}

/** Signs out when the token is refused; true if it did. */
function signedOutBy(error: unknown): boolean {
  if (!isCacheError(error)) return false;
  if (error.code === "UNAUTHORIZED") signOut("That token was not accepted; enter another.");
  else if (error.code === "FORBIDDEN" && configured.length === 0)
    signOut(`This token cannot open the dashboard: ${error.message}. It needs the admin scope.`);
  else return false;
  return true;
}

async function poll(): Promise<void> {
  const current = cards;
  await Promise.all(
    [...current].map(async ([namespace, { card, history }]) => {
      try {
        history.add({ at: Date.now(), stats: await cache.stats({ namespace, timeoutMs: 5000 }) });
        card.update(history);
      } catch (error) {
        if (!signedOutBy(error)) card.showError(describe(error));
      }
    }),
  );
  if (current !== cards || board.hidden) return;
  $("[data-role=updated]").textContent = `updated ${clock(Date.now())}`;
  pollTimer = setTimeout(() => void poll(), POLL_MS);
}

function describe(error: unknown): string {
  if (isCacheError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

login.addEventListener("submit", (event) => {
  event.preventDefault();
  session.token = String(new FormData(login).get("token")).trim();
  login.reset();
  void open();
});
$("[data-action=sign-out]").addEventListener("click", () => signOut());
opsNamespace.addEventListener("change", () => selectNamespace(opsNamespace.value));
wireCacheActions($("#operations"), { cache, namespace: () => opsNamespace.value, jobStarted: () => void jobs.refresh(), describe });

if (session.token) void open();
else login.hidden = false;
