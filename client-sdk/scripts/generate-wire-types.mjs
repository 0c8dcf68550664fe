/**
 * Generates src/generated/wire-types.ts: every procedure's input and output as plain TypeScript,
 * resolved from the server's `AppRouter` with the server's compiler settings. The SDK's published
 * declarations then name no server, contracts or zod type, so a consumer needs only this package.
 *
 *   node scripts/generate-wire-types.mjs          write the file
 *   node scripts/generate-wire-types.mjs --check  exit 1 if the file is out of date
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const sdkRoot = fileURLToPath(new URL("..", import.meta.url));
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
export const outputPath = `${sdkRoot}src/generated/wire-types.ts`;

/** Contract names for the outputs (docs/design.md); several procedures share InvalidationStatus. */
const OUTPUT_NAMES = {
  get: "GetResult",
  set: "SetResult",
  delete: "DeleteResult",
  invalidate: "InvalidationStatus",
  status: "InvalidationStatus",
  stats: "NamespaceStats",
  flush: "FlushResult",
  warm: "InvalidationStatus",
};

/**
 * The JSDoc of each generated type (every export of the SDK is documented). A type without an
 * entry here gets a description built from the procedures that use it.
 */
const DOCS = {
  GetInput: "What `get` sends: the key, its namespace, and how stale an answer may be (`maxStaleMs`). `cache.get(key, options)` builds it.",
  GetResult:
    "What `get` answers: whether the key was `found`, its value, `state` (fresh, stale or miss), where it came from (`source`), its `version`, age and tags.",
  SetInput:
    "What `set` sends: key, value and namespace, freshness (`ttlMs`, `staleMs`), tags, write-behind, a compare-and-set `ifVersion`, and the `idempotencyKey` that makes a replay apply once.",
  SetResult: "What `set` answers: the entry's new `version`, and until when it is fresh and may be served stale (epoch milliseconds).",
  DeleteInput: "What `delete` sends: the key, its namespace and the `idempotencyKey`.",
  DeleteResult: "What `delete` answers: whether there was an entry to delete.",
  InvalidateInput:
    "What `invalidate` sends: the `tags`, `keys` and `prefixes` to invalidate (at least one), whether to purge or mark stale (`mode`), the job's `priority` and the `idempotencyKey`.",
  InvalidationStatus:
    "An invalidation or warm job as `invalidate`, `status` and `warm` answer it: its `state`, `progress` (0-100), target counts, errors and timestamps.",
  StatusInput: "What `status` sends: the job's id and namespace. `cache.jobStatus(id)` and `handle.status()` build it.",
  StatsInput: "What `stats` sends: the namespace (the whole input may be left out).",
  NamespaceStats:
    "What `stats` answers: a namespace's counters (entries, hits and misses, origin fetches, latency, write-behind, invalidations).",
  FlushInput: "What `flush` sends: the namespace (the whole input may be left out).",
  FlushResult:
    "What `flush` answers: how many write-behind records went to the main database, how many still wait, and how many dead letters the namespace holds.",
  WarmInput: "What `warm` sends: what to load from the origin into the cache, and the namespace.",
  DeadLettersInput: "What `deadLetters` (admin) sends: the namespace and how many dead letters to list (`limit`, default 100).",
  DeadLettersResult:
    "What `deadLetters` answers: how many write-behind records the sink refused for good (`total`), and the oldest of them with the sink's last error (values left out).",
  ReplayDeadLettersInput: "What `replayDeadLetters` (admin) sends: the dead letters to put back in the outbox, by `keys` or `all: true`.",
  ReplayDeadLettersResult:
    "What `replayDeadLetters` answers: how many records went back to the outbox, and how many a newer pending write of their key supersedes.",
  DropDeadLettersInput: "What `dropDeadLetters` (admin) sends: the dead letters to drop, by `keys` or `all: true`.",
  DropDeadLettersResult: "What `dropDeadLetters` answers: how many dead letters were dropped.",
  NamespacesInput: "What `namespaces` (admin) sends: nothing (the whole input may be left out).",
  NamespacesResult:
    "What `namespaces` answers: the namespaces configured on the server that the token may use, with their shards, freshness windows and whether they have an origin, write-behind or public reads.",
  JobsInput: "What `jobs` (admin) sends: the namespace and how many of its most recent jobs to list (`limit`, default 20, at most 100).",
  JobsResult: "What `jobs` answers: the namespace's most recent invalidation and warm jobs, newest first, each as an `InvalidationStatus`.",
};

/** Recursive aliases from zod that must be declared here under the contract's name. */
const ALIASES = { JSONType: "JsonValue" };
const JSON_VALUE = "export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };";

const pascal = (name) => name.charAt(0).toUpperCase() + name.slice(1);

/** The generated file's text. */
export function generateWireTypes() {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    `${repoRoot}server/tsconfig.json`,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  );
  const entry = `${sdkRoot}scripts/router-types.ts`;
  // The server's own files and settings (its Env augmentations, worker types), plus our entry.
  const program = ts.createProgram([...parsed.fileNames, entry], parsed.options);
  // Only problems in reading the router matter here; the server's own type check is its business.
  const diagnostics = ts.getPreEmitDiagnostics(program, program.getSourceFile(entry));
  if (diagnostics.length > 0) {
    throw new Error(
      ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => repoRoot, getNewLine: () => "\n" }),
    );
  }
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry));
  const exported = (name) => checker.getDeclaredTypeOfSymbol(checker.getExportsOfModule(moduleSymbol).find((s) => s.name === name));
  const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed });
  const scratch = ts.createSourceFile("scratch.ts", "", ts.ScriptTarget.Latest);
  const flags = ts.NodeBuilderFlags.NoTruncation | ts.NodeBuilderFlags.MultilineObjectLiterals | ts.NodeBuilderFlags.InTypeAlias;
  const print = (type) => {
    let text = printer.printNode(ts.EmitHint.Unspecified, checker.typeToTypeNode(type, undefined, flags), scratch);
    for (const [from, to] of Object.entries(ALIASES)) text = text.replace(new RegExp(`\\b${from}\\b`, "g"), to);
    return text.replace(/ {4}/g, "  ");
  };
  const members = (type) => Object.fromEntries(type.getProperties().map((p) => [p.name, checker.getTypeOfSymbol(p)]));

  const inputs = members(exported("RouterInputs"));
  const outputs = members(exported("RouterOutputs"));
  const kinds = members(exported("RouterKinds"));
  const declared = new Map();
  /** For types without a DOCS entry: which procedures take (input) or return (output) each type. */
  const usedBy = new Map();
  const declare = (name, text, use) => {
    if (declared.has(name) && declared.get(name) !== text) throw new Error(`${name} differs between procedures`);
    declared.set(name, text);
    usedBy.set(name, [...(usedBy.get(name) ?? []), use]);
  };
  const describe = (name) => {
    if (DOCS[name]) return DOCS[name];
    const uses = usedBy.get(name);
    const list = (procedures) => procedures.map((p) => `\`${p}\``).join(", ");
    const takes = uses.filter((u) => u.role === "input").map((u) => u.procedure);
    const returns = uses.filter((u) => u.role === "output").map((u) => u.procedure);
    return [takes.length ? `What ${list(takes)} takes.` : "", returns.length ? `What ${list(returns)} returns.` : ""]
      .filter(Boolean)
      .join(" ");
  };
  const table = [];
  const kindTable = [];
  for (const procedure of Object.keys(inputs)) {
    const inputName = `${pascal(procedure)}Input`;
    const outputName = OUTPUT_NAMES[procedure] ?? `${pascal(procedure)}Result`;
    declare(inputName, print(inputs[procedure]), { procedure, role: "input" });
    declare(outputName, print(outputs[procedure]), { procedure, role: "output" });
    table.push(`  ${procedure}: { kind: ${print(kinds[procedure])}; input: ${inputName}; output: ${outputName} };`);
    kindTable.push(`  ${procedure}: ${print(kinds[procedure])},`);
  }
  return [
    "// Generated by scripts/generate-wire-types.mjs from the server's AppRouter. Do not edit:",
    "// run `npm run generate -w client-sdk` (the test suite fails when this file is out of date).",
    "",
    "/** Any JSON value. */",
    JSON_VALUE,
    "",
    ...[...declared].flatMap(([name, text]) => [`/** ${describe(name)} */`, `export type ${name} = ${text};`, ""]),
    "/** Every procedure of the wire contract: tRPC kind, input and output. */",
    "export interface Procedures {",
    ...table,
    "}",
    "",
    "/** Whether each procedure is a tRPC query (GET) or mutation (POST). */",
    'export const PROCEDURE_KINDS: { readonly [P in keyof Procedures]: Procedures[P]["kind"] } = {',
    ...kindTable,
    "};",
    "",
  ].join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = generateWireTypes();
  if (process.argv.includes("--check")) {
    if (readFileSync(outputPath, "utf8") !== text) {
      console.error(`${outputPath} is out of date: run npm run generate -w client-sdk`);
      process.exit(1);
    }
  } else {
    writeFileSync(outputPath, text);
  }
}
