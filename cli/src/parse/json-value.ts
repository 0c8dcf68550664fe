/** The value of `set`: JSON from the argument, or from stdin when the argument is `-`. */
import { usageError } from "../cli-error.ts";

export async function readJsonValue(argument: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<unknown> {
  const text = argument === "-" ? await readAll(stdin) : argument;
  const source = argument === "-" ? "stdin" : "the value";
  if (text.trim() === "") throw usageError(`${source} is empty: give a JSON value, e.g. '{"price":12}' or '"text"'`);
  try {
    return JSON.parse(text);
  } catch (error) {
    // A bare word is the usual slip: say how to write it as a JSON string.
    throw usageError(`${source} is not JSON (${(error as Error).message}); strings need JSON quotes, e.g. '"hello"'`);
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}
