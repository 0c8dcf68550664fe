/**
 * External purge targets for coordinator tests, served by the local origin: `POST /purge/<path>`
 * records the call and answers as its path's behaviour says. Write-behind tests use the same
 * recorder as their HTTP sink. Each test namespace points at its
 * own paths, so test files running side by side do not disturb each other.
 *
 *   POST /__purge/behave  { path, failTimes?, failStatus?, hold?, latencyMs?, refuseKey?, refuseStatus? }
 *   POST /__purge/release { path }   answers every held call on the path and stops holding
 *   GET  /__purge/calls?prefix=P     → { calls: PurgeCall[] } for paths starting with P
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { PurgeBehaviour, PurgeCall } from "./purge-behaviour.ts";

export class PurgeTargets {
  private behaviours = new Map<string, PurgeBehaviour>();
  private calls: PurgeCall[] = [];
  private held = new Map<string, (() => void)[]>();

  reset(): void {
    for (const path of this.held.keys()) this.release(path);
    this.behaviours.clear();
    this.calls = [];
  }

  /** Handles the request when it is one of ours; false otherwise. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL, body: () => Promise<string>): Promise<boolean> {
    if (req.method === "POST" && url.pathname === "/__purge/behave") {
      const { path, ...behaviour } = JSON.parse(await body()) as PurgeBehaviour & { path: string };
      this.behaviours.set(path, behaviour);
      json(res, 200, { ok: true });
      return true;
    }
    if (req.method === "POST" && url.pathname === "/__purge/release") {
      this.release((JSON.parse(await body()) as { path: string }).path);
      json(res, 200, { ok: true });
      return true;
    }
    if (url.pathname === "/__purge/calls") {
      const prefix = url.searchParams.get("prefix") ?? "";
      json(res, 200, { calls: this.calls.filter((call) => call.path.startsWith(prefix)) });
      return true;
    }
    if (req.method === "POST" && url.pathname.startsWith("/purge/")) {
      const purgeKey = req.headers["x-purge-key"];
      await this.purge(url.pathname, await body(), res, Array.isArray(purgeKey) ? purgeKey.join(",") : purgeKey);
      return true;
    }
    return false;
  }

  private async purge(path: string, text: string, res: ServerResponse, purgeKey: string | undefined): Promise<void> {
    const behaviour = this.behaviours.get(path) ?? {};
    const nth = this.calls.filter((call) => call.path === path).length + 1;
    const call: PurgeCall = {
      path,
      body: JSON.parse(text) as PurgeCall["body"],
      startedAt: Date.now(),
      endedAt: null,
      status: null,
      purgeKey,
    };
    this.calls.push(call);
    if (behaviour.hold) await new Promise<void>((resolve) => this.held.set(path, [...(this.held.get(path) ?? []), resolve]));
    if (behaviour.latencyMs) await new Promise((resolve) => setTimeout(resolve, behaviour.latencyMs));
    const records = (call.body as unknown as { records?: { key: string }[] }).records;
    const refused = behaviour.refuseKey !== undefined && records?.some((record) => record.key === behaviour.refuseKey) === true;
    call.status = nth <= (behaviour.failTimes ?? 0) ? (behaviour.failStatus ?? 503) : refused ? (behaviour.refuseStatus ?? 422) : 200;
    call.endedAt = Date.now();
    json(
      res,
      call.status,
      call.status === 200
        ? { ok: true }
        : { error: refused ? `record ${behaviour.refuseKey} is invalid` : `purge target says ${call.status}` },
    );
  }

  private release(path: string): void {
    const behaviour = this.behaviours.get(path);
    if (behaviour) this.behaviours.set(path, { ...behaviour, hold: false });
    for (const resolve of this.held.get(path) ?? []) resolve();
    this.held.delete(path);
  }
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
}
