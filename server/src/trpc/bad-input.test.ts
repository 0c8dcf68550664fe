import { describe, expect, it } from "vitest";
import { ERROR_CODES, type ErrorCode } from "@cache-sync/contracts";
import { send, type HttpResult } from "../../test/support/trpc-http.ts";
import { PROCEDURE_ACCESS } from "./procedure-access.ts";

const json = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: typeof body === "string" ? body : JSON.stringify(body),
});
const getWith = (procedure: string, input: unknown) => `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`;

interface Case {
  name: string;
  path: string;
  init?: RequestInit;
  status: number;
  /** What the message must mention so a person can act on it. */
  mentions: RegExp;
}

const cases: Case[] = [
  { name: "get without a key", path: getWith("get", {}), status: 400, mentions: /key/ },
  { name: "get with a numeric key", path: getWith("get", { key: 42 }), status: 400, mentions: /key.*string/ },
  { name: "get with an empty key", path: getWith("get", { key: "" }), status: 400, mentions: /key must not be empty/ },
  { name: "get with a 600-byte key", path: getWith("get", { key: "k".repeat(600) }), status: 400, mentions: /512 bytes/ },
  {
    name: "a key of 300 two-byte characters (600 bytes)",
    path: getWith("get", { key: "é".repeat(300) }),
    status: 400,
    mentions: /512 bytes/,
  },
  {
    name: "get with a key holding a lone surrogate",
    path: getWith("get", { namespace: "products", key: "a\uD800" }),
    status: 400,
    mentions: /lone surrogate/,
  },
  {
    name: "set with a key holding a lone surrogate",
    path: "/trpc/set",
    init: json({ key: "\uDC00", value: 1 }),
    status: 400,
    mentions: /lone surrogate/,
  },
  {
    name: "get with an upper-case namespace",
    path: getWith("get", { namespace: "Products", key: "a" }),
    status: 400,
    mentions: /namespace/,
  },
  {
    name: "get with a namespace of 65 characters",
    path: getWith("get", { namespace: "n".repeat(65), key: "a" }),
    status: 400,
    mentions: /namespace/,
  },
  {
    name: "get with a namespace containing a slash",
    path: getWith("get", { namespace: "a/b", key: "a" }),
    status: 400,
    mentions: /namespace/,
  },
  { name: "get with a negative maxStaleMs", path: getWith("get", { key: "a", maxStaleMs: -1 }), status: 400, mentions: /maxStaleMs/ },
  { name: "get with a string maxStaleMs", path: getWith("get", { key: "a", maxStaleMs: "soon" }), status: 400, mentions: /maxStaleMs/ },
  { name: "get with malformed ?input=", path: "/trpc/get?input=%7Bnot-json", status: 400, mentions: /JSON|input/i },
  { name: "set without a value", path: "/trpc/set", init: json({ key: "a" }), status: 400, mentions: /value/ },
  {
    name: "set with a 2 MiB value",
    path: "/trpc/set",
    init: json({ key: "a", value: "x".repeat(2 * 1024 * 1024) }),
    status: 413,
    mentions: /larger than/,
  },
  {
    name: "set with 500 tags",
    path: "/trpc/set",
    init: json({ key: "a", value: 1, tags: Array.from({ length: 500 }, (_, i) => `t${i}`) }),
    status: 400,
    mentions: /at most 32 tags/,
  },
  {
    name: "set with an empty tag",
    path: "/trpc/set",
    init: json({ key: "a", value: 1, tags: [""] }),
    status: 400,
    mentions: /tag must not be empty/,
  },
  {
    name: "set with a 129-character tag",
    path: "/trpc/set",
    init: json({ key: "a", value: 1, tags: ["t".repeat(129)] }),
    status: 400,
    mentions: /128 characters/,
  },
  { name: "set with tags as a string", path: "/trpc/set", init: json({ key: "a", value: 1, tags: "red" }), status: 400, mentions: /tags/ },
  {
    name: "set with a fractional ttlMs",
    path: "/trpc/set",
    init: json({ key: "a", value: 1, ttlMs: 1.5 }),
    status: 400,
    mentions: /ttlMs/,
  },
  { name: "set with ttlMs 0", path: "/trpc/set", init: json({ key: "a", value: 1, ttlMs: 0 }), status: 400, mentions: /ttlMs/ },
  {
    name: "set with a ttlMs over a year",
    path: "/trpc/set",
    init: json({ key: "a", value: 1, ttlMs: 1e12 }),
    status: 400,
    mentions: /ttlMs/,
  },
  {
    name: "set with a negative ifVersion",
    path: "/trpc/set",
    init: json({ key: "a", value: 1, ifVersion: -3 }),
    status: 400,
    mentions: /ifVersion/,
  },
  {
    name: "set with a 200-character idempotencyKey",
    path: "/trpc/set",
    init: json({ key: "a", value: 1, idempotencyKey: "i".repeat(200) }),
    status: 400,
    mentions: /idempotencyKey/,
  },
  {
    name: "set with writeBehind in a namespace without it",
    path: "/trpc/set",
    init: json({ key: "a", value: 1, writeBehind: true }),
    status: 400,
    mentions: /writeBehind/,
  },
  { name: "set with a body that is not JSON", path: "/trpc/set", init: json("{ key: a"), status: 400, mentions: /JSON|parse/i },
  { name: "set with an array body", path: "/trpc/set", init: json([1, 2]), status: 400, mentions: /object|expected/i },
  { name: "delete with an empty key", path: "/trpc/delete", init: json({ key: "" }), status: 400, mentions: /key must not be empty/ },
  { name: "invalidate with no selector", path: "/trpc/invalidate", init: json({}), status: 400, mentions: /at least one selector/ },
  {
    name: "invalidate with empty lists",
    path: "/trpc/invalidate",
    init: json({ tags: [], keys: [] }),
    status: 400,
    mentions: /at least one selector/,
  },
  {
    name: "invalidate with an unknown mode",
    path: "/trpc/invalidate",
    init: json({ tags: ["a"], mode: "nuke" }),
    status: 400,
    mentions: /mode/,
  },
  {
    name: "invalidate with an unknown priority",
    path: "/trpc/invalidate",
    init: json({ tags: ["a"], priority: "urgent" }),
    status: 400,
    mentions: /priority/,
  },
  {
    name: "invalidate with 101 selectors",
    path: "/trpc/invalidate",
    init: json({ keys: Array.from({ length: 101 }, (_, i) => `k${i}`) }),
    status: 400,
    mentions: /at most 100 selectors/,
  },
  { name: "status without an id", path: getWith("status", {}), status: 400, mentions: /id/ },
  { name: "stats with a bad namespace", path: getWith("stats", { namespace: "-x" }), status: 400, mentions: /namespace/ },
  { name: "flush with a bad namespace", path: "/trpc/flush", init: json({ namespace: "Bad NS" }), status: 400, mentions: /namespace/ },
  {
    name: "warm with 1001 keys",
    path: "/trpc/warm",
    init: json({ keys: Array.from({ length: 1001 }, (_, i) => `k${i}`) }),
    status: 400,
    mentions: /at most 1000 keys/,
  },
  { name: "deadLetters with a limit of 0", path: getWith("deadLetters", { limit: 0 }), status: 400, mentions: /limit/ },
  {
    name: "replayDeadLetters with neither keys nor all",
    path: "/trpc/replayDeadLetters",
    init: json({}),
    status: 400,
    mentions: /keys or all/,
  },
  {
    name: "dropDeadLetters with both keys and all",
    path: "/trpc/dropDeadLetters",
    init: json({ keys: ["a"], all: true }),
    status: 400,
    mentions: /keys or all/,
  },
  { name: "namespaces with an input that is not an object", path: getWith("namespaces", 5), status: 400, mentions: /expected object/ },
  { name: "jobs with a limit of 101", path: getWith("jobs", { limit: 101 }), status: 400, mentions: /at most 100 jobs/ },
  { name: "an unknown procedure", path: "/trpc/explode", init: json({}), status: 404, mentions: /explode/ },
  { name: "a mutation called with GET", path: getWith("set", { key: "a", value: 1 }), status: 405, mentions: /mutation|method|GET/i },
  {
    name: "a mutation without a JSON content-type",
    path: "/trpc/set",
    init: { method: "POST", body: "{}" },
    status: 415,
    mentions: /content-type|json/i,
  },
  { name: "an unknown route", path: "/nowhere", status: 404, mentions: /no route/ },
  { name: "the proxy with a bad namespace", path: "/r/BAD/key", status: 400, mentions: /namespace/ },
];

function assertClearClientError(result: HttpResult<any>, expected: Case): void {
  const text = JSON.stringify(result.body);
  expect(result.status, text).toBe(expected.status);
  expect(text).not.toMatch(/"stack"|\n\s+at |\.ts:\d+:\d+/);
  const error = result.body?.error ?? result.body?.[0]?.error;
  expect(error, text).toBeDefined();
  expect(typeof error.message).toBe("string");
  expect(error.message, text).toMatch(expected.mentions);
  // The code is the contract's code for that status (contracts/src/errors.ts).
  const code = error.data?.code as ErrorCode;
  expect(ERROR_CODES[code]?.status, `${code}: ${text}`).toBe(expected.status);
}

/** The procedure a case calls: `/trpc/set` and `/trpc/get?input=…` name one. */
const procedureOf = (path: string) => /^\/trpc\/([A-Za-z]+)/.exec(path)?.[1];

describe("malformed input gets a clear 4xx", () => {
  it("the table has bad input for every procedure of the router", () => {
    const covered = new Set(cases.map((testCase) => procedureOf(testCase.path)));
    expect(Object.keys(PROCEDURE_ACCESS).filter((name) => !covered.has(name))).toEqual([]);
  });

  for (const testCase of cases) {
    it(testCase.name, async () => {
      assertClearClientError(await send(testCase.path, testCase.init), testCase);
    });
  }
});
