import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
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
