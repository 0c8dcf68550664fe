// Property-based fuzzing of every procedure through HTTP: thousands of generated requests, valid
// and not. Whatever comes in, the answer is never a 5xx,
// always JSON with a code and a message, never a stack trace; valid inputs still work.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { send, type HttpResult } from "../../test/support/trpc-http.ts";

type Procedure = "get" | "set" | "delete" | "invalidate" | "status" | "stats" | "flush" | "warm";
const QUERIES = new Set<Procedure>(["get", "status", "stats"]);
/** Acceptance: at least 2,000 generated requests per `npm test` (RUNS batches of BATCH). */
const RUNS = 200;
const BATCH = 10;

const namespace = fc.constantFrom("default", "fuzz-a", "fuzz-b");
const key = fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 });
const tags = fc.array(fc.string({ minLength: 1, maxLength: 20 }), { maxLength: 5 });
const json = fc.jsonValue({ maxDepth: 3 });

const validInput: Record<Procedure, fc.Arbitrary<Record<string, unknown>>> = {
  get: fc.record({ namespace, key, maxStaleMs: fc.nat({ max: 100_000 }) }, { requiredKeys: ["key"] }),
  set: fc.record(
    { namespace, key, value: json, ttlMs: fc.integer({ min: 1, max: 1e9 }), staleMs: fc.nat({ max: 1e9 }), tags, idempotencyKey: fc.uuid() },
    { requiredKeys: ["key", "value"] },
  ),
  delete: fc.record({ namespace, key, idempotencyKey: fc.uuid() }, { requiredKeys: ["key"] }),
  invalidate: fc.record(
    { namespace, tags: fc.array(fc.string({ minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 3 }), mode: fc.constantFrom("purge", "stale"), priority: fc.constantFrom("low", "normal", "high") },
    { requiredKeys: ["tags"] },
  ),
  status: fc.record({ namespace, id: fc.uuid() }, { requiredKeys: ["id"] }),
  stats: fc.record({ namespace }, { requiredKeys: [] }),
  flush: fc.record({ namespace }, { requiredKeys: [] }),
  warm: fc.record({ namespace, keys: fc.array(key, { minLength: 1, maxLength: 3 }) }, { requiredKeys: ["keys"] }),
};

/** A valid input with one field replaced by arbitrary JSON, or one field removed. */
const corrupted = (procedure: Procedure) =>
  fc.tuple(validInput[procedure], fc.string({ maxLength: 12 }), fc.oneof(json, fc.constant(undefined))).map(([input, field, value]) => {
    const names = Object.keys(input);
    const target = names.length > 0 && field.length % 2 === 0 ? names[field.length % names.length]! : field;
    return { ...input, [target]: value };
  });

const request = fc.constantFrom<Procedure>("get", "set", "delete", "invalidate", "status", "stats", "flush", "warm").chain((procedure) =>
  fc.record({
    procedure: fc.constant(procedure),
    valid: fc.boolean(),
    input: fc.constant(null as unknown),
    rawBody: fc.option(fc.string({ maxLength: 50 }), { freq: 8 }),
    wrongMethod: fc.boolean().map((b) => b && Math.random() < 0.1),
  }).chain((shape) =>
    (shape.valid ? validInput[procedure] : fc.oneof(corrupted(procedure), json)).map((input) => ({ ...shape, input })),
  ),
);

interface GeneratedRequest {
  procedure: Procedure;
  input: unknown;
  rawBody: string | null;
  wrongMethod: boolean;
  valid: boolean;
}

function httpRequest(r: GeneratedRequest) {
  const asQuery = QUERIES.has(r.procedure) !== r.wrongMethod;
  if (asQuery) return send(`/trpc/${r.procedure}?input=${encodeURIComponent(JSON.stringify(r.input) ?? "")}`);
  const body = r.rawBody !== null && !r.valid ? r.rawBody : JSON.stringify(r.input);
  return send(`/trpc/${r.procedure}`, { method: "POST", headers: { "content-type": "application/json" }, body });
}

/** Checks one reply; returns whether it was a valid request that worked. */
function check(r: GeneratedRequest, reply: HttpResult<any>): boolean {
  const text = JSON.stringify(reply.body);
  const context = `${r.procedure} → ${reply.status} ${text.slice(0, 300)} for ${JSON.stringify(r.input)?.slice(0, 200)}`;
  expect(reply.status, context).toBeLessThan(500);
  expect(text, context).not.toMatch(/"stack"|\n\s+at |\.ts:\d+:\d+/);
  if (reply.status >= 400) {
    expect(typeof reply.body?.error?.message, context).toBe("string");
    expect(reply.body.error.message.length, context).toBeGreaterThan(0);
    expect(typeof reply.body.error.data?.code, context).toBe("string");
  }
  if (!r.valid || r.wrongMethod) return false;
  // status of an unknown id is a 404; a full job queue may push back with 429; the fuzzed
  // namespaces have no origin, so a warm of them is refused with 400.
  const expected = r.procedure === "status" ? [404] : r.procedure === "invalidate" ? [200, 429] : r.procedure === "warm" ? [400] : [200];
  expect(expected, context).toContain(reply.status);
  return true;
}

describe("fuzzing every procedure over HTTP", () => {
  it(`${RUNS * BATCH} generated requests: never a 5xx, always a JSON error with code and message, no stack`, async () => {
    let validOk = 0;
    let sent = 0;
    await fc.assert(
      // Requests go in concurrent batches, as real clients send them (and so the run stays short).
      fc.asyncProperty(fc.array(request, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const replies = await Promise.all(batch.map(httpRequest));
        sent += batch.length;
        batch.forEach((r, i) => (validOk += check(r, replies[i]!) ? 1 : 0));
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    expect(sent).toBeGreaterThanOrEqual(2_000);
    expect(validOk).toBeGreaterThan(sent / 7);
  }, 240_000);
});
