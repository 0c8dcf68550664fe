// Hostile traffic, defect 1: no work before authentication. Identity, rate limit and scope are
// decided before a body is read; the namespace after a bounded parse; values by a cheap walk
// with caps on depth and node count.
import { LIMITS } from "@cache-sync/contracts";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TEST_TOKENS } from "../../test/support/test-tokens.ts";
import { mutate, send } from "../../test/support/trpc-http.ts";
import { PROCEDURE_ACCESS } from "./procedure-access.ts";
import { appRouter } from "./router.ts";

afterEach(() => vi.restoreAllMocks());

const CHUNK = 64 * 1024;
const CHUNKS = 16; // 1 MiB

/** A 1 MiB `set` body that counts how many of its chunks were pulled by the server. */
function countedSetBody(): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  const encoder = new TextEncoder();
  const head = encoder.encode('{"key":"x","value":[');
  const filler = encoder.encode("[],".repeat(CHUNK / 3));
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        pulled++;
        if (pulled === 1) controller.enqueue(head);
        else if (pulled <= CHUNKS) controller.enqueue(filler);
        else {
          controller.enqueue(encoder.encode("[]]}"));
          controller.close();
        }
      },
    },
    { highWaterMark: 0 },
  );
  return { body, pulled: () => pulled };
}

const postSet = (body: ReadableStream<Uint8Array>, token: string | null) =>
  send("/trpc/set", { method: "POST", headers: { "content-type": "application/json" }, body, token });

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

describe("a caller who may not mutate never gets a body read (issue: hostile traffic, 1)", () => {
  it("an anonymous 1 MiB set is refused with 401 before its body is read", async () => {
    const { body, pulled } = countedSetBody();
    const reply = await postSet(body, null);
    expect(reply.status).toBe(401);
    expect(reply.body.error.message).toMatch(/set needs a token/);
    expect(pulled(), "chunks of the body the server pulled").toBeLessThanOrEqual(1);
  });

  it("a read-only token's 1 MiB set is refused with 403 before its body is read", async () => {
    const { body, pulled } = countedSetBody();
    const reply = await postSet(body, TEST_TOKENS.reader);
    expect(reply.status).toBe(403);
    expect(reply.body.error.message).toContain('lacks the "write" scope');
    expect(pulled()).toBeLessThanOrEqual(1);
  });

  it("a batch is refused as a whole when one of its calls needs a scope the token lacks", async () => {
    const { body, pulled } = countedSetBody();
    const reply = await send("/trpc/delete,set?batch=1", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      token: TEST_TOKENS.reader,
    });
    expect(reply.status).toBe(403);
    expect(pulled()).toBeLessThanOrEqual(1);
  });

  it("the namespace is checked before the value is validated", async () => {
    // products-writer may write "products" only: a deep value elsewhere is a 403, not a validation 400.
    for (const input of [
      { namespace: "elsewhere", key: "k" },
      { namespace: "elsewhere", key: "k", value: nested(200) },
    ]) {
      const reply = await mutate("set", input, TEST_TOKENS.productsWriter);
      expect(reply.status).toBe(403);
      expect(reply.body.error.message).toContain('may not use namespace "elsewhere"');
    }
  });
});

describe("values are validated by a cheap walk with caps (issue: hostile traffic, 1)", () => {
  it(`refuses a value nested deeper than ${LIMITS.valueMaxDepth} levels with a 400 naming the cap`, async () => {
    expect((await mutate("set", { key: "deep-ok", value: nested(LIMITS.valueMaxDepth) })).status).toBe(200);
    const reply = await mutate("set", { key: "deep", value: nested(LIMITS.valueMaxDepth + 1) });
    expect(reply.status).toBe(400);
    expect(reply.body.error.message).toContain(`more than ${LIMITS.valueMaxDepth} levels deep`);
  });

  it("refuses a value nested 100,000 levels deep with the same 400, not a stack overflow", async () => {
    const text = `{"key":"abyss","value":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    const reply = await send("/trpc/set", { method: "POST", headers: { "content-type": "application/json" }, body: text });
    expect(reply.status).toBe(400);
    expect(reply.body.error.message).toContain("levels deep");
  });

  it(`refuses a value of more than ${LIMITS.valueMaxNodes} nodes with a 400 naming the cap`, async () => {
    const fits = Array.from({ length: LIMITS.valueMaxNodes - 1 }, () => 0);
    expect((await mutate("set", { key: "many-ok", value: fits })).status).toBe(200);
    const reply = await mutate("set", { key: "many", value: [...fits, 0] });
    expect(reply.status).toBe(400);
    expect(reply.body.error.message).toContain(`more than ${LIMITS.valueMaxNodes} nodes`);
  });

  it("refuses the issue's 1 MiB body of empty arrays from a writer by the node cap", async () => {
    const value = Array.from({ length: 340_000 }, () => []);
    const reply = await mutate("set", { key: "x", value });
    expect(reply.status).toBe(400);
    expect(reply.body.error.message).toMatch(/nodes/);
  });
});

describe("one parser of tRPC paths (gate, short path, request log)", () => {
  it("a batch's log line names its procedures, and a malformed path escape is a logged 400", async () => {
    const spy = vi.spyOn(console, "log");
    const input = encodeURIComponent(JSON.stringify({ 0: { key: "a" }, 1: { namespace: "products" } }));
    expect((await send(`/trpc/get%2Cstats?batch=1&input=${input}`)).status).toBe(200);
    const bad = await send("/trpc/%E0%A4%A");
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/percent-escape/);
    const lines = spy.mock.calls
      .map((args) => String(args[0]))
      .filter((text) => text.includes('"event":"request"'))
      .map((text) => JSON.parse(text));
    expect(lines.map((line) => [line.procedure, line.namespace, line.status])).toEqual([
      ["get,stats", "default,products", 200],
      ["(unknown)", undefined, 400],
    ]);
  });
});

describe("the gate's table of procedures", () => {
  it("describes exactly the router's procedures, with the kind tRPC gives them", () => {
    const procedures = appRouter._def.procedures as Record<string, { _def: { type: string } }>;
    expect(Object.keys(PROCEDURE_ACCESS).sort()).toEqual(Object.keys(procedures).sort());
    for (const [name, access] of Object.entries(PROCEDURE_ACCESS)) expect(procedures[name]!._def.type, name).toBe(access.kind);
  });
});
