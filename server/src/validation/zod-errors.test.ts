import { setInput } from "@cache-sync/contracts";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CacheError } from "../errors.ts";
import { describeZodError, validated, zodIssues } from "./zod-errors.ts";

const failure = <S extends z.ZodType>(schema: S, input: unknown) => {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error("expected the input to be refused");
  return parsed.error;
};

describe("one description of a zod failure", () => {
  it("names every bad field, path first, in one line", () => {
    const error = failure(setInput, { key: "", value: 1, ttlMs: 1.5 });
    expect(describeZodError(error)).toMatch(/^key: key must not be empty; ttlMs: [^;]+$/);
    expect(zodIssues(error).map((issue) => issue.path)).toEqual([["key"], ["ttlMs"]]);
  });

  it('leaves a whole-value problem bare, or names it as the caller asks (the config says "(root)")', () => {
    const error = failure(z.object({}), 5);
    expect(describeZodError(error)).toBe("Invalid input: expected object, received number");
    expect(describeZodError(error, { root: "(root)" })).toBe("(root): Invalid input: expected object, received number");
  });

  it("validated: the parsed value, or a BAD_REQUEST carrying the description", () => {
    expect(validated(setInput, { key: "k", value: 1 }).namespace).toBe("default");
    const thrown = (() => {
      try {
        validated(setInput, { key: "" });
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(CacheError);
    expect(thrown).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/^key: key must not be empty; value: /) });
  });
});
