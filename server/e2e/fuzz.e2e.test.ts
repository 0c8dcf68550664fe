// Property-based fuzzing of the whole wire against `wrangler dev` (issue: hostile traffic):
// 10,000+ generated requests — paths with good and malformed percent-escapes, unicode and lone
// surrogates, headers, methods, tRPC batch shapes, inputs valid and not, bodies that are huge,
// deep or not UTF-8 — for /trpc, /r and the rest. Whatever comes in: never a 5xx, every 4xx is
// JSON with a code and a message, no stack trace anywhere. Replay a run with FUZZ_SEED=<seed>.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOrigin, type OriginServer } from "@cache-sync/dev-kit/origin-server";
import { saveLog } from "@cache-sync/dev-kit/secret-scan";
import { cacheTokensVar, issueToken } from "@cache-sync/dev-kit/tokens";
import { startDevServer, type DevServer } from "@cache-sync/dev-kit/wrangler-dev";
import { wireRequest, type WireRequest } from "./support/wire-fuzz.ts";

const RUNS = 260;
const CONCURRENT = 40; // requests per generated batch, sent at once as real clients would
const BUDGET_MS = 120_000;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

const admin = issueToken("fuzz-admin", ["admin"], ["*"]);
const reader = issueToken("fuzz-reader", ["read"], ["*"]);
const writer = issueToken("fuzz-writer", ["read", "write"], ["products"]);
const HIGH = 100_000_000;

let server: DevServer;
let origin: OriginServer;

beforeAll(async () => {
  origin = await startOrigin();
  server = await startDevServer({
    vars: {
      CACHE_CONFIG: {
        namespaces: {
          default: {},
          open: { publicRead: true },
          products: { origin: { url: `${origin.url}/items/{key}`, timeoutMs: 2_000, errorBackoffMs: 0 }, maxValueBytes: 100_000 },
        },
        corsOrigins: ["https://app.example.com"],
      },
      CACHE_TOKENS: cacheTokensVar([admin, reader, writer]),
    },
    // Limits out of the way: the fuzz is about what each request gets, not how many.
    configOverrides: {
      ratelimits: [
        { name: "TOKEN_RATE_LIMITER", namespace_id: "1001", simple: { limit: HIGH, period: 10 } },
        { name: "ANON_RATE_LIMITER", namespace_id: "1002", simple: { limit: HIGH, period: 10 } },
        { name: "AUTH_FAIL_RATE_LIMITER", namespace_id: "1003", simple: { limit: HIGH, period: 60 } },
      ],
    },
  });
});

afterAll(async () => {
  if (server) saveLog("wire-fuzz", server.output());
  await server?.stop();
  await origin?.close();
});

interface Answer {
  status: number;
  text: string;
  contentType: string | null;
}

async function sendWire(request: WireRequest): Promise<Answer> {
  const response = await fetch(`${server.url}${request.path}`, {
    method: request.method,
    headers: request.headers,
    ...(request.body !== undefined && request.method !== "GET" && request.method !== "HEAD" && { body: request.body }),
  });
  return { status: response.status, text: await response.text(), contentType: response.headers.get("content-type") };
}

/** What is wrong with one answer, or undefined. */
function problem(request: WireRequest, answer: Answer): string | undefined {
  if (answer.status >= 500) return `a ${answer.status}`;
  if (/"stack"|\n\s+at |\.(ts|js):\d+:\d+/.test(answer.text)) return "a stack trace";
  if (answer.status < 400 || request.method === "HEAD") return undefined;
  let body: any;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return "a 4xx that is not JSON";
  }
  // A tRPC batch answers one entry per call; every error in it must be complete.
  const errors = (Array.isArray(body) ? body : [body]).map((entry) => entry?.error).filter((error) => error !== undefined);
  if (errors.length === 0) return "a 4xx without an error";
  for (const error of errors) {
    if (typeof error.message !== "string" || error.message.length === 0) return "a 4xx error without a message";
    if (typeof error.data?.code !== "string") return "a 4xx error without data.code";
  }
  return undefined;
}

describe("fuzzing the whole wire through wrangler dev", () => {
  it(
    `${RUNS * CONCURRENT} generated requests: no 5xx, every 4xx JSON with code and message, no stack`,
    async () => {
      const started = Date.now();
      const statuses = new Map<number, number>();
      let sent = 0;
      const property = fc.asyncProperty(
        fc.array(wireRequest({ admin: admin.token, reader: reader.token, writer: writer.token }), {
          minLength: CONCURRENT,
          maxLength: CONCURRENT,
        }),
        async (batch) => {
          const answers = await Promise.all(batch.map(sendWire));
          sent += batch.length;
          batch.forEach((request, i) => {
            const answer = answers[i]!;
            statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
            const wrong = problem(request, answer);
            if (wrong !== undefined) {
              throw new Error(
                `${wrong} for ${request.note.slice(0, 300)}\n(path ${request.path.slice(0, 200)})\n→ ${answer.status} ${answer.contentType} ${answer.text.slice(0, 300)}`,
              );
            }
          });
        },
      );
      try {
        await fc.assert(property, { numRuns: RUNS, seed: SEED, endOnFailure: true });
      } catch (error) {
        // fast-check keeps the property's own error as the cause; its message names the request and the answer.
        const cause = (error as Error).cause;
        const detail = cause instanceof Error ? cause.message : (error as Error).message.slice(0, 2_000);
        throw new Error(`wire fuzz failed; replay with FUZZ_SEED=${SEED}\n${detail}`);
      }
      const elapsed = Date.now() - started;
      console.log(
        `wire fuzz: ${sent} requests in ${elapsed} ms, seed ${SEED}, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`,
      );
      // The mix reached each kind of answer the fuzz is meant to probe (not, say, only 401s because
      // every token was refused): a success, a bad input, no token, no scope, no route, a wrong
      // method and a body that is not JSON.
      for (const status of [200, 400, 401, 403, 404, 405, 415]) {
        expect(statuses.get(status) ?? 0, `answers with status ${status} (seed ${SEED})`).toBeGreaterThan(0);
      }
      expect(elapsed, `the run must fit its budget (seed ${SEED})`).toBeLessThanOrEqual(BUDGET_MS);
      // Not only refusals: valid requests in the mix still work.
      expect(statuses.get(200) ?? 0).toBeGreaterThan(sent / 10);
    },
    BUDGET_MS + 30_000,
  );
});
