// The response headers that a Workers static-assets `_headers` file gives a path, for the dev
// server (dev-server.mjs), so that the page it serves runs under the same Content-Security-Policy
// as the one the Worker serves. The subset of the format the committed file uses: a line that
// starts in column 0 is a path pattern (`*` matches anything), indented `Name: value` lines
// below it are its headers, `#` starts a comment.
import { readFileSync } from "node:fs";

/** Parses a `_headers` file into a function from a request path to the headers it gets. */
export function loadAssetHeaders(file) {
  const rules = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.trim() === "" || line.trim().startsWith("#")) continue;
    if (!/^\s/.test(line)) {
      rules.push({ pattern: patternToRegExp(line.trim()), headers: {} });
      continue;
    }
    const separator = line.indexOf(":");
    const rule = rules.at(-1);
    if (rule === undefined || separator < 0) throw new Error(`${file}: cannot read the line "${line.trim()}"`);
    rule.headers[line.slice(0, separator).trim().toLowerCase()] = line.slice(separator + 1).trim();
  }
  return (path) => Object.assign({}, ...rules.filter((rule) => rule.pattern.test(path)).map((rule) => rule.headers));
}

function patternToRegExp(pattern) {
  const escaped = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${escaped.join(".*")}$`);
}
