/** Option parsers for commander: numbers that must be whole and non-negative, lists that repeat. */
import { InvalidArgumentError } from "commander";

/** `--ttl-ms 60000`: a whole number of milliseconds (commander reports the error with the option's name). */
export function wholeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`expected a whole number ≥ 0, got ${JSON.stringify(value)}`);
  return n;
}

/** `--watch 0.5`: a positive number of seconds. */
export function positiveSeconds(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`expected a number of seconds > 0, got ${JSON.stringify(value)}`);
  return n;
}

/** `--tag a --tag b`: every occurrence, in order. */
export function repeatable(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `--scopes read,write`: a comma-separated list, blanks dropped. */
export function commaList(value: string): string[] {
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}
