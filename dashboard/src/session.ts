/**
 * What the dashboard remembers, in sessionStorage only: the token (gone when the tab closes,
 * never in localStorage, a cookie or a URL), the namespaces whose cards are shown and the
 * namespace the operations and the job list work on.
 */
const TOKEN = "cache-sync.dashboard.token";
const SHOWN = "cache-sync.dashboard.namespaces";
const SELECTED = "cache-sync.dashboard.selected";

export const session = {
  get token(): string | null {
    return sessionStorage.getItem(TOKEN);
  },
  set token(value: string | null) {
    if (value === null) sessionStorage.removeItem(TOKEN);
    else sessionStorage.setItem(TOKEN, value);
  },
  /** null until the operator picks: then the page shows its default choice. */
  get shown(): string[] | null {
    const stored = sessionStorage.getItem(SHOWN);
    return stored === null ? null : parseList(stored);
  },
  set shown(value: string[]) {
    sessionStorage.setItem(SHOWN, value.join(","));
  },
  get selected(): string | null {
    return sessionStorage.getItem(SELECTED);
  },
  set selected(value: string) {
    sessionStorage.setItem(SELECTED, value);
  },
};

/** A comma list as typed into a field: "a, b,,c " → ["a", "b", "c"], without duplicates. */
export function parseList(text: string): string[] {
  const names = text
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  return [...new Set(names)];
}
