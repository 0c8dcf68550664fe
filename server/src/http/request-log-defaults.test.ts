// Issue 14, acceptance 2: under the default config, successful reads are summed up per isolate
// (one "reads" line per interval), and every failed request (status ≥ 400) and every mutation
// still gets a line of its own with the request id it was answered with.
import { afterEach, describe, expect, it, vi } from "vitest";
import { mutate, query, send, type HttpResult } from "../../test/support/trpc-http.ts";
import { TEST_TOKENS } from "../../test/support/test-tokens.ts";

afterEach(() => vi.restoreAllMocks());

const logged = (spy: { mock: { calls: unknown[][] } }, event: string) =>
  spy.mock.calls
    .map((args) => String(args[0]))
    .filter((text) => text.includes(`"event":"${event}"`))
    .map((text) => JSON.parse(text) as Record<string, any>);

describe("the request log with the default config", () => {
  it("sums up successful reads, and logs every failure and mutation with its request id", async () => {
    const spy = vi.spyOn(console, "log");
    const key = `defaults-${crypto.randomUUID()}`;
    const mutations: HttpResult[] = [
      await mutate("set", { key, value: { n: 1 }, tags: ["log-defaults"] }),
      await mutate("delete", { key: `${key}-other` }),
      await mutate("invalidate", { tags: ["log-defaults-unused"] }),
      await mutate("set", { key, value: { n: 2 } }),
    ];
    for (const reply of mutations) expect(reply.status, JSON.stringify(reply.body)).toBe(200);

    const reads = [
      await query("get", { key }),
      await query("get", { key }),
      await send(`/r/default/${key}`),
      await query("get", { key: `${key}-absent` }),
    ];
    for (const reply of reads) expect(reply.status).toBe(200);

    const failures: HttpResult[] = [
      await query("get", { key: "" }), // 400: bad input
      await query("get", { key }, null), // 401: anonymous, and default is not public
      await query("get", { key }, "not-a-configured-token"), // 401: unknown token
      await mutate("set", { key, value: 1 }, TEST_TOKENS.reader), // 403: read-only token
      await send(`/r/default/${key}-absent`), // 404: the proxy's "no value"
      await send("/no/such/route"), // 404: no route
      await mutate("set", { key, value: "x".repeat(2_000_000) }), // 413: over the body bound
    ];
    expect(failures.map((reply) => reply.status)).toEqual([400, 401, 401, 403, 404, 404, 413]);

    const lines = logged(spy, "request");
    for (const reply of [...mutations, ...failures]) {
      const requestId = reply.headers.get("x-request-id");
      expect(requestId).toBeTruthy();
      expect(lines.filter((line) => line.requestId === requestId)).toEqual([expect.objectContaining({ status: reply.status })]);
    }
    // Successful reads have no line of their own…
    for (const reply of reads) expect(lines.some((line) => line.requestId === reply.headers.get("x-request-id"))).toBe(false);

    // …but are all counted in the summary, once its interval (readSummaryIntervalMs: 100) has closed.
    await vi.waitFor(() => expect(summed(logged(spy, "reads"), "get")).toBe(3), { timeout: 5_000 });
    const summaries = logged(spy, "reads");
    expect(summed(summaries, undefined, "/r/:namespace/:key")).toBe(1);
    const group = summaries.flatMap((line) => line.reads).find((read) => read.namespace === "default" && read.procedure === "get");
    expect(group).toMatchObject({
      route: "/trpc",
      statuses: { 200: expect.any(Number) },
      latencyMs: { p50: expect.any(Number), max: expect.any(Number) },
    });
    expect(group.histogram.reduce((sum: number, count: number) => sum + count, 0)).toBe(group.count);
    expect(JSON.stringify(spy.mock.calls)).not.toContain(key);
  });
});

/** Successful reads of the default namespace counted for a procedure (or a route) over every summary line. */
function summed(summaries: Record<string, any>[], procedure: string | undefined, route = "/trpc"): number {
  return summaries
    .flatMap((line) => line.reads as Record<string, any>[])
    .filter((read) => read.namespace === "default" && read.route === route && read.procedure === procedure)
    .reduce((sum, read) => sum + read.count, 0);
}
