/**
 * What makes a value storable: JSON (strings, finite numbers, booleans, null, arrays, plain
 * objects), at most `LIMITS.valueMaxDepth` containers deep and `LIMITS.valueMaxNodes` values in
 * all. One iterative walk that stops at the first problem: a hostile 1 MiB value costs a
 * fraction of what a recursive schema union spends on it, and no depth can overflow the stack.
 */
import { LIMITS } from "./limits.ts";

/** The first reason `value` is not a storable JSON value, or undefined when it is one. */
export function jsonValueProblem(value: unknown): string | undefined {
  const rootProblem = scalarProblem(value);
  if (rootProblem !== undefined) return rootProblem || undefined;
  // Containers still to look into, and how many containers hold each (parallel stacks: scalars,
  // most of any value, are checked in place and never queued).
  const containers: object[] = [value as object];
  const depths: number[] = [1];
  let nodes = 1;
  while (containers.length > 0) {
    const container = containers.pop()!;
    const depth = depths.pop()!;
    if (depth > LIMITS.valueMaxDepth) {
      return `value is nested more than ${LIMITS.valueMaxDepth} levels deep (the limit is valueMaxDepth)`;
    }
    const children = Array.isArray(container) ? (container as unknown[]) : Object.values(container);
    nodes += children.length;
    // Counted before anything inside is looked at, so a huge array is refused at once.
    if (nodes > LIMITS.valueMaxNodes) {
      return `value has more than ${LIMITS.valueMaxNodes} nodes (arrays, objects and scalars; the limit is valueMaxNodes)`;
    }
    for (const child of children) {
      const problem = scalarProblem(child);
      if (problem === "") continue;
      if (problem !== undefined) return problem;
      containers.push(child as object);
      depths.push(depth + 1);
    }
  }
  return undefined;
}

/** "" for a valid scalar, undefined for an array or a plain object (look inside), else the problem. */
function scalarProblem(item: unknown): string | undefined {
  if (item === null || typeof item === "string" || typeof item === "boolean") return "";
  if (typeof item === "number") return Number.isFinite(item) ? "" : "value must be JSON: numbers must be finite";
  if (Array.isArray(item)) return undefined;
  if (typeof item === "object") {
    const prototype = Object.getPrototypeOf(item) as unknown;
    if (prototype === Object.prototype || prototype === null) return undefined;
  }
  return `value must be JSON: found ${describe(item)}`;
}

function describe(item: unknown): string {
  if (item === undefined) return "undefined (a missing value?)";
  if (typeof item === "object") return `an object that is not plain (${Object.prototype.toString.call(item)})`;
  return `a ${typeof item}`;
}
