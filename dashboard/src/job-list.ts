/**
 * The selected namespace's recent jobs (the `jobs` query), newest first, polled so running jobs
 * show their progress live: every second while one is unfinished, at the page's pace otherwise.
 */
import type { InvalidationStatus, Procedures } from "@cache-sync/client";
import { JobRow } from "./job-row.ts";

type JobsResult = Procedures["jobs"]["output"];

const RUNNING_POLL_MS = 1000;

export interface JobListOptions {
  list: HTMLOListElement;
  fetchJobs: (namespace: string) => Promise<JobsResult>;
  pollMs: number;
  onError: (error: unknown) => void;
}

export class JobList {
  #namespace: string | null = null;
  #rows = new Map<string, JobRow>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped on every follow/stop, so an answer for an earlier namespace is dropped. */
  #generation = 0;

  constructor(private readonly options: JobListOptions) {}

  follow(namespace: string): void {
    this.stop();
    this.#namespace = namespace;
    this.#rows = new Map();
    this.options.list.replaceChildren();
    void this.refresh();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#generation++;
  }

  /** Fetches now (after a job was started, say) and schedules the next poll. */
  async refresh(): Promise<void> {
    const namespace = this.#namespace;
    if (namespace === null) return;
    clearTimeout(this.#timer);
    const generation = ++this.#generation;
    let running = false;
    try {
      const { jobs } = await this.options.fetchJobs(namespace);
      if (generation !== this.#generation) return;
      this.#render(jobs);
      running = jobs.some((job) => job.state === "queued" || job.state === "processing");
    } catch (error) {
      if (generation !== this.#generation) return;
      this.options.onError(error);
    }
    this.#timer = setTimeout(() => void this.refresh(), running ? Math.min(RUNNING_POLL_MS, this.options.pollMs) : this.options.pollMs);
  }

  #render(jobs: InvalidationStatus[]): void {
    const rows = new Map<string, JobRow>();
    for (const job of jobs) {
      const row = this.#rows.get(job.id) ?? new JobRow(job);
      row.update(job);
      rows.set(job.id, row);
    }
    this.#rows = rows;
    if (jobs.length === 0) {
      const empty = document.createElement("li");
      empty.className = "muted";
      empty.textContent = `No jobs in ${this.#namespace} (finished jobs are kept for 24 hours).`;
      this.options.list.replaceChildren(empty);
    } else {
      this.options.list.replaceChildren(...[...rows.values()].map((row) => row.element));
    }
  }
}
