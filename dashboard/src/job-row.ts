/** One job of the list: what it is, a live progress bar and its state, updated in place as it runs. */
import type { InvalidationStatus } from "@cache-sync/client";
import { clock, count, duration } from "./format.ts";

export class JobRow {
  readonly element = document.createElement("li");
  readonly #title = document.createElement("span");
  readonly #detail = document.createElement("span");
  readonly #progress = document.createElement("progress");
  readonly #state = document.createElement("span");
  readonly #errors = document.createElement("p");

  constructor(status: InvalidationStatus) {
    const name = `job ${status.id.slice(0, 8)}`;
    this.element.dataset.jobId = status.id;
    this.#title.className = "job-title";
    this.#title.textContent = `${name} · ${clock(status.createdAt)}`;
    this.#title.title = status.id;
    this.#detail.className = "muted";
    this.#progress.max = 100;
    this.#progress.setAttribute("aria-label", `progress of ${name}`);
    this.#state.className = "job-state";
    this.#errors.className = "error";
    this.element.append(this.#title, this.#progress, this.#state, this.#detail, this.#errors);
    this.update(status);
  }

  update(status: InvalidationStatus): void {
    this.element.dataset.state = status.state;
    this.#progress.value = status.progress;
    this.#state.textContent = status.state === "queued" || status.state === "failed" ? status.state : `${status.progress} %`;
    const took = status.finishedAt !== null && status.startedAt !== null ? ` · took ${duration(status.finishedAt - status.startedAt)}` : "";
    this.#detail.textContent = `${status.completedTargets} / ${status.totalTargets} targets${status.failedTargets ? ` (${status.failedTargets} failed)` : ""} · ${count(status.invalidatedKeys)} entries${took}`;
    this.#errors.textContent = status.errors.join("; ");
    this.#errors.hidden = status.errors.length === 0;
  }
}
