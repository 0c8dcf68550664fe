// JSDoc on every export of the package's entry points (`@cache-sync/client` and `/node`), read
// with the TypeScript compiler API twice: from the sources, and from the declarations the build
// emits (in memory, with the build's own settings), which is what a consumer's editor shows.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";

const sdkRoot = fileURLToPath(new URL("../..", import.meta.url));
const ENTRIES = ["index", "node"] as const;

/** The main API: each of these must show an `@example` besides its description. */
const EXAMPLE_REQUIRED_TYPES = [
  "CacheClient",
  "CacheClientOptions",
  "InvalidationHandle",
  "DoneOptions",
  "CallOptions",
  "CacheBinding",
  "QueueStorage",
];
/** Interfaces and classes whose every member must be documented (methods with an `@example`). */
const MEMBERS_DOCUMENTED = ["CacheClient", "InvalidationHandle", "CacheError"];

interface ExportDoc {
  entry: string;
  name: string;
  kind: string;
  /** The description of the JSDoc directly above the declaration ("" when none). */
  description: string;
  tags: string[];
  /** The text of its `@example` tags. */
  examples: string[];
  /** Members of an interface or class: name, description, tags, whether it is a method. */
  members: { name: string; description: string; tags: string[]; method: boolean }[];
  isValue: boolean;
}

/**
 * The JSDoc attached to `node`, only if it ends on the line right above the declaration: a file's
 * header comment separated by a blank line documents the file, not the first export.
 */
function docOf(node: ts.Node): { description: string; tags: string[]; examples: string[] } {
  const sourceFile = node.getSourceFile();
  const startLine = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line;
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const adjacent = docs.filter((doc) => sourceFile.getLineAndCharacterOfPosition(doc.end).line >= startLine - 1);
  return {
    description: adjacent
      .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? "")
      .join("\n")
      .trim(),
    tags: adjacent.flatMap((doc) => (doc.tags ?? []).map((tag) => tag.tagName.text)),
    examples: adjacent.flatMap((doc) =>
      (doc.tags ?? []).filter((tag) => tag.tagName.text === "example").map((tag) => ts.getTextOfJSDocComment(tag.comment) ?? ""),
    ),
  };
}

/** Every export of each entry point, resolved through re-exports to its declaration. */
function exportDocs(program: ts.Program, entryFiles: Record<string, string>): ExportDoc[] {
  const checker = program.getTypeChecker();
  const result: ExportDoc[] = [];
  for (const [entry, file] of Object.entries(entryFiles)) {
    const sourceFile = program.getSourceFile(file);
    if (!sourceFile) throw new Error(`${file} is not in the program`);
    const moduleSymbol = checker.getSymbolAtLocation(sourceFile);
    if (!moduleSymbol) throw new Error(`${file} has no exports`);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declaration = symbol.declarations?.[0];
      if (!declaration) throw new Error(`${entry}: ${exported.name} has no declaration`);
      const documented = ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration;
      const members =
        ts.isInterfaceDeclaration(declaration) || ts.isClassDeclaration(declaration)
          ? declaration.members
              .filter((m) => m.name !== undefined && !ts.isConstructorDeclaration(m))
              .filter((m) => !(ts.getCombinedModifierFlags(m as ts.Declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)))
              .map((m) => ({ name: m.name!.getText(), ...docOf(m), method: ts.isMethodSignature(m) || ts.isMethodDeclaration(m) }))
          : [];
      result.push({
        entry,
        name: exported.name,
        kind: ts.SyntaxKind[declaration.kind],
        ...docOf(documented),
        members,
        isValue: (symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class | ts.SymbolFlags.Variable)) !== 0,
      });
    }
  }
  return result;
}

function buildOptions(): ts.CompilerOptions {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(sdkRoot, "tsconfig.build.json"),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  );
  if (!parsed) throw new Error("cannot read tsconfig.build.json");
  return parsed.options;
}

/** The problems with the documentation of `docs`, one line each (empty when all is well). */
function problems(docs: ExportDoc[]): string[] {
  const found: string[] = [];
  for (const doc of docs) {
    const where = `${doc.entry}: ${doc.name} (${doc.kind})`;
    if (doc.description.length < 10) found.push(`${where} has no JSDoc description directly above it`);
    const needsExample = doc.isValue || EXAMPLE_REQUIRED_TYPES.includes(doc.name);
    if (needsExample && !doc.tags.includes("example")) found.push(`${where} has no @example`);
    if (MEMBERS_DOCUMENTED.includes(doc.name)) {
      for (const member of doc.members) {
        if (member.name === "name") continue; // CacheError's `name` is the standard Error field
        if (member.description.length < 5) found.push(`${where}: member ${member.name} has no JSDoc`);
        if (member.method && doc.name !== "CacheError" && !member.tags.includes("example"))
          found.push(`${where}: method ${member.name} has no @example`);
      }
    }
  }
  return found;
}

let sourceDocs: ExportDoc[];
let declarationDocs: ExportDoc[];

beforeAll(() => {
  const options = buildOptions();
  const sourceEntries = Object.fromEntries(ENTRIES.map((e) => [e, join(sdkRoot, "src", `${e}.ts`)]));
  const program = ts.createProgram(Object.values(sourceEntries), options);
  sourceDocs = exportDocs(program, sourceEntries);

  // The declarations as `npm run build` writes them, kept in memory (dist/ is left alone).
  const emitted = new Map<string, string>();
  const result = program.emit(
    undefined,
    (fileName, text) => {
      // As scripts/fix-declaration-imports.mjs does for the published files.
      if (fileName.endsWith(".d.ts")) emitted.set(fileName, text.replace(/((?:from |import\()["']\.{1,2}\/[^"']+)\.ts(["'])/g, "$1.js$2"));
    },
    undefined,
    true,
  );
  if (result.emitSkipped) throw new Error("declaration emit failed");
  const host = ts.createCompilerHost(options);
  const original = { fileExists: host.fileExists, readFile: host.readFile, getSourceFile: host.getSourceFile };
  host.fileExists = (f) => emitted.has(f) || (!f.startsWith(options.outDir!) && original.fileExists(f));
  host.readFile = (f) => emitted.get(f) ?? (f.startsWith(options.outDir!) ? undefined : original.readFile(f));
  host.getSourceFile = (f, language, ...rest) =>
    emitted.has(f) ? ts.createSourceFile(f, emitted.get(f)!, language, true) : original.getSourceFile(f, language, ...rest);
  host.directoryExists = (d) => [...emitted.keys()].some((f) => dirname(f).startsWith(d)) || ts.sys.directoryExists(d);
  const declarationEntries = Object.fromEntries(ENTRIES.map((e) => [e, join(options.outDir!, `${e}.d.ts`)]));
  declarationDocs = exportDocs(ts.createProgram(Object.values(declarationEntries), { ...options, noEmit: true }, host), declarationEntries);
}, 60_000);

describe("JSDoc on every export", () => {
  it("finds the package's exports (the check is not vacuous)", () => {
    const names = sourceDocs.map((d) => d.name);
    expect(names.length).toBeGreaterThan(50);
    expect(names).toEqual(
      expect.arrayContaining([
        "createCacheClient",
        "CacheError",
        "isCacheError",
        "memoryStorage",
        "fileStorage",
        "CacheClient",
        "GetResult",
      ]),
    );
    expect(declarationDocs.map((d) => `${d.entry}:${d.name}`).sort()).toEqual(sourceDocs.map((d) => `${d.entry}:${d.name}`).sort());
  });

  it("every exported function, class, const and type of the sources has JSDoc (functions and the main types with an example)", () => {
    expect(problems(sourceDocs)).toEqual([]);
  });

  it("the emitted declarations keep that JSDoc for consumers", () => {
    expect(problems(declarationDocs)).toEqual([]);
  });

  it("the main functions' examples show a call of the function", () => {
    for (const name of ["createCacheClient", "isCacheError", "memoryStorage", "webStorage", "indexedDbStorage", "fileStorage"]) {
      const doc = sourceDocs.find((d) => d.name === name)!;
      expect(doc.examples.join("\n"), name).toContain(`${name}(`);
    }
  });
});
