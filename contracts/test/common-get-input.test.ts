import { describe, expect, it } from "vitest";
import { parseCommonGetInput } from "../src/common-get-input.ts";
import { LIMITS } from "../src/limits.ts";
import { getInput } from "../src/procedures.ts";

const ABSENT = Symbol("absent");

const namespaces: unknown[] = [
  ABSENT,
  "default",
  "a",
  "orders-2",
  "a_b",
  "A",
  "-a",
  "_a",
  "",
  "a".repeat(64),
  "a".repeat(65),
  "a b",
  "a\n",
  5,
  null,
  undefined,
];
const keys: unknown[] = [
  ABSENT,
  "k",
  "",
  "a/b/../c",
  "with space and ünïcode",
  "a".repeat(LIMITS.keyMaxBytes),
  "a".repeat(LIMITS.keyMaxBytes + 1),
  "é".repeat(LIMITS.keyMaxBytes / 2),
  "é".repeat(LIMITS.keyMaxBytes / 2 + 1),
  "\uD83D\uDE00",
  "\uD800",
  "x\uDC00",
  "line\nbreak",
  7,
  null,
  undefined,
  ["k"],
];
const maxStales: unknown[] = [
  ABSENT,
  0,
  -0,
  1,
  1_000,
  LIMITS.maxDurationMs,
  LIMITS.maxDurationMs + 1,
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  "5",
  null,
  undefined,
];

function build(namespace: unknown, key: unknown, maxStaleMs: unknown, extra?: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = { ...extra };
  if (namespace !== ABSENT) input.namespace = namespace;
  if (key !== ABSENT) input.key = key;
  if (maxStaleMs !== ABSENT) input.maxStaleMs = maxStaleMs;
  return input;
}

/** Every combination of the values above: 16 × 17 × 14 plain inputs, and the same with an extra field. */
function* inputs(): Generator<Record<string, unknown>> {
  for (const namespace of namespaces)
    for (const key of keys)
      for (const maxStaleMs of maxStales) {
        yield build(namespace, key, maxStaleMs);
        yield build(namespace, key, maxStaleMs, { extra: 1 });
      }
}

describe("parseCommonGetInput (getInput without zod, for the hit path)", () => {
  it("accepts only what getInput accepts, with the same result", () => {
    let accepted = 0;
    for (const input of inputs()) {
      const fast = parseCommonGetInput(input);
      if (fast === undefined) continue;
      accepted++;
      const schema = getInput.safeParse(input);
      expect(schema.success, JSON.stringify(input)).toBe(true);
      expect(fast, JSON.stringify(input)).toStrictEqual(schema.data);
    }
    expect(accepted).toBeGreaterThan(100);
  });

  it("accepts every valid input of the common shape, so the hit path skips zod for all of them", () => {
    for (const input of inputs()) {
      const plainFields = Object.keys(input).every(
        (name) => ["namespace", "key", "maxStaleMs"].includes(name) && input[name] !== undefined,
      );
      if (plainFields && getInput.safeParse(input).success) expect(parseCommonGetInput(input), JSON.stringify(input)).toBeDefined();
    }
  });

  it("leaves anything unusual to zod: not a plain object, an unknown or inherited field, a field given as undefined", () => {
    const inherited = Object.create({ namespace: "other" }) as Record<string, unknown>;
    inherited.key = "k";
    const hidden = { key: "k" };
    Object.defineProperty(hidden, "namespace", { value: "other", enumerable: false });
    class Input {
      key = "k";
    }
    const unusual: [string, unknown][] = [
      ["null", null],
      ["undefined", undefined],
      ["a string", "k"],
      ["a number", 5],
      ["an array", ["k"]],
      ["an object without a prototype", Object.assign(Object.create(null), { key: "k" })],
      ["a class instance", new Input()],
      ["an inherited namespace", inherited],
      ["a non-enumerable namespace", hidden],
      ["an unknown field", { key: "k", extra: 1 }],
      ["namespace: undefined", { key: "k", namespace: undefined }],
      ["maxStaleMs: undefined", { key: "k", maxStaleMs: undefined }],
    ];
    for (const [label, input] of unusual) expect(parseCommonGetInput(input), label).toBeUndefined();
  });

  it("gives the namespace's default when none is named, as the schema does", () => {
    expect(parseCommonGetInput({ key: "k" })).toStrictEqual(getInput.parse({ key: "k" }));
    expect(parseCommonGetInput({ key: "k" })).toStrictEqual({ namespace: "default", key: "k" });
  });
});
