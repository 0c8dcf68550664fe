/**
 * What the dashboard remembers, in sessionStorage only: the token (gone when the tab closes,
 * never in localStorage, a cookie or a URL), the namespaces shown and the jobs started here.
 */
const TOKEN = "cache-sync.dashboard.token";
const NAMESPACES = "cache-sync.dashboard.namespaces";
const JOBS = "cache-sync.dashboard.jobs";
const MAX_JOBS = 20;

export interface JobRef {
  id: string;
  namespace: string;
  label: string;
}

export const session = {
  get token(): string | null {
    return sessionStorage.getItem(TOKEN);
  },
  set token(value: string | null) {
    if (value === null) sessionStorage.removeItem(TOKEN);
    else sessionStorage.setItem(TOKEN, value);
  },
  get namespaces(): string[] {
    return parseList(sessionStorage.getItem(NAMESPACES) ?? "default");
  },
  set namespaces(value: string[]) {
    sessionStorage.setItem(NAMESPACES, value.join(", "));
  },
  get jobs(): JobRef[] {
    try {
      const jobs: unknown = JSON.parse(sessionStorage.getItem(JOBS) ?? "[]");
      return Array.isArray(jobs) ? (jobs as JobRef[]) : [];
    } catch {
      return [];
    }
  },
  rememberJob(job: JobRef): void {
    sessionStorage.setItem(JOBS, JSON.stringify([job, ...this.jobs.filter((j) => j.id !== job.id)].slice(0, MAX_JOBS)));
  },
};

/** A comma list as typed into a field: "a, b,,c " → ["a", "b", "c"], without duplicates. */
export function parseList(text: string): string[] {
  const names = text.split(",").map((name) => name.trim()).filter((name) => name !== "");
  return [...new Set(names)];
}
