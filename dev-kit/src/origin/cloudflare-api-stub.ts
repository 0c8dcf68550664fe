/**
 * A local stand-in for Cloudflare's zone purge API (issue 17), served by the test origin. It
 * answers as the real one does — `{ success, errors, messages, result }` — and records every call.
 * The path's first part names a stub, so test namespaces do not share calls or behaviours:
 *
 *   POST /cf-api/<stub>/zones/<zoneId>/purge_cache | invalidate_cache   { tags } | { prefixes }
 *   POST /__cf/behave { stub, failTimes?, failStatus? }   the next failTimes calls answer failStatus (500)
 *   GET  /__cf/calls?stub=S → { calls: ZoneCall[] }
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ZoneCall } from "./zone-call.ts";

export class CloudflareApiStub {
  private calls: ZoneCall[] = [];
  private failures = new Map<string, { left: number; status: number }>();

  reset(): void {
    this.calls = [];
    this.failures.clear();
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, body: () => Promise<string>): Promise<boolean> {
    if (req.method === "POST" && url.pathname === "/__cf/behave") {
      const {
        stub,
        failTimes = 0,
        failStatus = 500,
      } = JSON.parse(await body()) as { stub: string; failTimes?: number; failStatus?: number };
      this.failures.set(stub, { left: failTimes, status: failStatus });
      json(res, 200, { ok: true });
      return true;
    }
    if (url.pathname === "/__cf/calls") {
      json(res, 200, { calls: this.calls.filter((call) => call.stub === url.searchParams.get("stub")) });
      return true;
    }
    const match = /^\/cf-api\/([^/]+)\/zones\/([^/]+)\/(purge_cache|invalidate_cache)$/.exec(url.pathname);
    if (req.method !== "POST" || match === null) return false;
    const [, stub, zoneId, endpoint] = match as unknown as [string, string, string, string];
    const failure = this.failures.get(stub);
    const status = failure && failure.left > 0 ? failure.status : 200;
    if (failure && failure.left > 0) failure.left--;
    const auth = req.headers.authorization;
    this.calls.push({ stub, zoneId, endpoint, authorization: auth, body: JSON.parse(await body()) as ZoneCall["body"], status });
    if (status !== 200) {
      json(res, status, { success: false, errors: [{ code: 10000, message: "stub says no" }], messages: [], result: null });
      return true;
    }
    json(res, 200, { success: true, errors: [], messages: [], result: { id: zoneId } });
    return true;
  }
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
}
