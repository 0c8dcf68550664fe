/**
 * The operations panel: invalidate by tag, warm keys or tags from the origin, and flush the
 * write-behind outbox, each through the SDK, on the selected namespace. Results are announced
 * politely (role="status"), errors assertively (role="alert").
 */
import type { CacheClient } from "@cache-sync/client";
import { count } from "./format.ts";
import { parseList } from "./session.ts";

export interface CacheActionsOptions {
  cache: CacheClient;
  /** The namespace the operations work on. */
  namespace: () => string;
  /** A job was started: the job list should look now. */
  jobStarted: () => void;
  describe: (error: unknown) => string;
}

export function wireCacheActions(panel: HTMLElement, options: CacheActionsOptions): void {
  const result = panel.querySelector<HTMLElement>("[data-role=action-result]")!;
  const failure = panel.querySelector<HTMLElement>("[data-role=action-error]")!;
  const report = (message: string) => {
    failure.textContent = "";
    result.textContent = message;
  };
  const fail = (message: string) => {
    result.textContent = "";
    failure.textContent = message;
  };

  /** Runs one action with its button disabled, so a double click does not start two jobs. */
  const run = async (button: HTMLButtonElement | null, action: (namespace: string) => Promise<string>) => {
    if (button) button.disabled = true;
    try {
      report(await action(options.namespace()));
    } catch (error) {
      fail(options.describe(error));
    } finally {
      if (button) button.disabled = false;
    }
  };

  const invalidateForm = panel.querySelector<HTMLFormElement>("#invalidate")!;
  invalidateForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const form = new FormData(invalidateForm);
    const tags = parseList(String(form.get("tags") ?? ""));
    if (tags.length === 0) return fail("Enter at least one tag to invalidate.");
    const mode = form.get("mode") === "stale" ? "stale" : "purge";
    void run(invalidateForm.querySelector("button"), async (namespace) => {
      const handle = await options.cache.invalidate({ namespace, tags, mode });
      if (handle.queued)
        return `Offline: the invalidation of ${tags.join(", ")} in ${namespace} is queued and is sent when the connection returns.`;
      const accepted = await handle.accepted;
      options.jobStarted();
      return `Invalidation job ${accepted.id.slice(0, 8)} accepted in ${namespace}.`;
    });
  });

  const warmForm = panel.querySelector<HTMLFormElement>("#warm")!;
  warmForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const form = new FormData(warmForm);
    const keys = parseList(String(form.get("keys") ?? ""));
    const tags = parseList(String(form.get("tags") ?? ""));
    if (keys.length + tags.length === 0) return fail("Enter at least one key or tag to warm.");
    void run(warmForm.querySelector("button"), async (namespace) => {
      const handle = await options.cache.warm({ keys, tags }, { namespace });
      const accepted = await handle.accepted;
      options.jobStarted();
      return `Warm job ${accepted.id.slice(0, 8)} accepted in ${namespace}: ${[...keys, ...tags.map((t) => `tag ${t}`)].join(", ")}.`;
    });
  });

  const flushButton = panel.querySelector<HTMLButtonElement>("[data-action=flush]")!;
  flushButton.addEventListener("click", () => {
    void run(flushButton, async (namespace) => {
      const flushed = await options.cache.flush({ namespace });
      const dead = flushed.deadLetters > 0 ? `; ${count(flushed.deadLetters)} dead letters` : "";
      return `Flushed ${count(flushed.flushed)} write-behind records in ${namespace}; ${count(flushed.pending)} still pending${dead}.`;
    });
  });
}
