import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ERROR_CODES, retryAfterHeader } from "../src/errors.ts";
import { procedureJsonSchemas, PROCEDURES } from "../src/json-schema.ts";

const published = JSON.parse(readFileSync(new URL("../schema/procedures.json", import.meta.url), "utf8"));

describe("schema/procedures.json", () => {
  it("matches the zod schemas (run `npm run generate -w contracts` after changing them)", () => {
    expect(published).toEqual(procedureJsonSchemas());
  });

  it("describes the input and output of every procedure", () => {
    expect(Object.keys(published.procedures).sort()).toEqual(Object.keys(PROCEDURES).sort());
    for (const procedure of Object.values<{ input: { type: string }; output: { type: string } }>(published.procedures)) {
      expect(procedure.input.type).toBe("object");
      expect(procedure.output.type).toBe("object");
    }
  });

  it("marks what a caller must send and leaves defaults optional", () => {
    const set = published.procedures.set.input;
    expect(set.required.sort()).toEqual(["key", "value"]);
    expect(set.properties.namespace.default).toBe("default");
    expect(published.procedures.get.output.required).toContain("found");
  });
});

describe("the error contract in schema/procedures.json", () => {
  it("lists every error code with its status, and the details of the codes that carry any", () => {
    expect(Object.keys(published.errors.codes)).toEqual(Object.keys(ERROR_CODES));
    expect(published.errors.codes.CONFLICT).toMatchObject({ status: 409, raisedBy: "server", retryable: false });
    expect(published.errors.codes.CONFLICT.details.required.sort()).toEqual(["currentVersion", "expectedVersion", "key"]);
    expect(published.errors.codes.TOO_MANY_REQUESTS).toMatchObject({ status: 429, retryable: true, retryAfter: true });
    expect(published.errors.codes.QUEUE_FULL).toEqual({ status: null, raisedBy: "sdk", retryable: false, retryAfter: false });
    expect(published.errors.codes.UNAUTHORIZED.details).toBeUndefined();
  });

  it("describes the envelope every error answer has", () => {
    const data = published.errors.envelope.properties.error.properties.data;
    expect(data.required.sort()).toEqual(["code", "httpStatus"]);
    expect(data.properties.code.enum).toEqual(Object.keys(ERROR_CODES));
  });
});

describe("retryAfterHeader", () => {
  it("is the longest wait in whole seconds, rounded up, and absent when nobody asks to wait", () => {
    expect(retryAfterHeader([])).toBeUndefined();
    expect(retryAfterHeader([2, 10.2, 5])).toBe("11");
  });
});
