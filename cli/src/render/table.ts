/** A plain two-column text table (no colours, so it reads the same in a terminal, a log or a pipe). */
export function renderTable(header: [string, string], rows: [string, string][]): string {
  const width = Math.max(header[0].length, ...rows.map(([name]) => name.length));
  const valueWidth = Math.max(header[1].length, ...rows.map(([, value]) => value.length));
  const line = (name: string, value: string) => `${name.padEnd(width)}  ${value}`;
  return [line(...header), `${"─".repeat(width)}  ${"─".repeat(valueWidth)}`, ...rows.map(([name, value]) => line(name, value))].join("\n");
}
