/** `config check`'s report for people: each namespace's resolved settings, with where each one came from. */
import type { ConfigReport, NamespaceReport, Setting } from "../config/resolve-config.ts";

export function renderConfigReport(file: string, report: Extract<ConfigReport, { valid: true }>): string {
  const sections = [
    `${file}: valid CACHE_CONFIG`,
    section("top level", report.topLevel),
    ...Object.entries(report.namespaces).map(([name, ns]) => namespaceSection(`namespace "${name}"`, ns)),
    namespaceSection("any other namespace", report.unlisted),
  ];
  return sections.join("\n\n");
}

function namespaceSection(title: string, ns: NamespaceReport): string {
  return section(`${title}: ${ns.resolvesFrom}`, ns.fields);
}

function section(title: string, fields: Setting[]): string {
  const width = Math.max(...fields.map((f) => f.path.length));
  const values = fields.map((f) => JSON.stringify(f.value) ?? "undefined");
  const valueWidth = Math.max(...values.map((v) => v.length));
  const lines = fields.map(
    (f, i) => `  ${f.path.padEnd(width)}  ${values[i]!.padEnd(valueWidth)}  ${f.from === "file" ? "set" : "(default)"}`,
  );
  return [title, ...lines].join("\n");
}
