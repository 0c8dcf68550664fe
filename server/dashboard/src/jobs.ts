/** The invalidation jobs started from this tab, each a row with a live progress bar. */
import type { InvalidationStatus } from "@cache-sync/client";

export class JobRow {
  readonly element = document.createElement("li");
  readonly #progress = document.createElement("progress");
  readonly #state = document.createElement("span");

  constructor(label: string) {
    const title = document.createElement("span");
    title.textContent = label;
    this.#progress.max = 100;
    this.#progress.value = 0;
    this.#progress.setAttribute("aria-label", `progress of ${label}`);
    this.#state.textContent = "sending";
    this.element.append(title, this.#progress, this.#state);
  }

  update(status: InvalidationStatus): void {
    this.element.dataset.jobId = status.id;
    this.element.dataset.state = status.state;
    this.#progress.value = status.progress;
    this.#state.textContent = status.state === "processing" || status.state === "completed" ? `${status.progress} %` : status.state;
    if (status.state === "completed") this.#state.title = `${status.invalidatedKeys} entries invalidated`;
    if (status.state === "failed") this.#state.title = status.errors.join("; ");
  }

  queued(): void {
    this.element.dataset.state = "offline-queued";
    this.#state.textContent = "queued (offline)";
  }

  failed(message: string): void {
    this.element.dataset.state = "error";
    this.#state.textContent = "error";
    this.#state.title = message;
  }
}

export function jobLabel(namespace: string, tags: string[], mode: string): string {
  return `${namespace}: ${mode} tag${tags.length === 1 ? "" : "s"} ${tags.join(", ")}`;
}
