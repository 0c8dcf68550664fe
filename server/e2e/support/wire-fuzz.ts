/**
 * fast-check generators for whole HTTP requests to the Worker: paths with valid and malformed
 * percent-escapes and unicode (lone surrogates as their UTF-8 bytes), headers, methods, tRPC
 * batch shapes, inputs valid and corrupted, bodies that are not JSON or not UTF-8, huge and deep
 * values — for both /trpc and /r. Everything is drawn from fast-check's own randomness, so a
 * seed replays a run exactly.
 */
import fc from "fast-check";

export interface WireRequest {
  method: string;
  /** Path and query, as sent (already escaped where the generator meant it). */
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
  /** What the generator meant to send, for the failure report. */
  note: string;
}

export interface WireTokens {
  admin: string;
  reader: string;
  writer: string;
}

const PROCEDURES = ["get", "set", "delete", "invalidate", "status", "stats", "flush", "warm"] as const;
const NAMESPACES = ["default", "open", "products", "unlisted", "Bad", "", "a".repeat(70), "-x", "constructor", "__proto__"];

/** Lone surrogates cannot be percent-encoded by encodeURIComponent; these are their UTF-8 bytes. */
const LONE_SURROGATE_BYTES = ["%ED%A0%80", "%ED%BF%BF"];
const MALFORMED_ESCAPES = ["%", "%Z", "%ZZ", "%E0%A4%A", "%C3", "%FF", "%80", "%%", "%2", "%u00e9"];

/** One piece of a path segment: plain text, a valid escape, a malformed one, unicode, a surrogate. */
const segmentPiece = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom(..."abcxyz019-_.~:@!$&'()*+=,;".split("")), minLength: 1, maxLength: 8 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 4 }).map((text) => encodeURIComponent(text)) },
  { weight: 2, arbitrary: fc.constantFrom(...MALFORMED_ESCAPES) },
  { weight: 1, arbitrary: fc.constantFrom(...LONE_SURROGATE_BYTES) },
  { weight: 1, arbitrary: fc.constantFrom("%2F", "%2E", "%2E%2E", "..", ".", "%00", "%0D%0A", "%20", "%2C") },
  { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 3 }).map((text) => encodeUtf16Loosely(text)) },
);
const segment = fc.array(segmentPiece, { minLength: 0, maxLength: 5 }).map((pieces) => pieces.join(""));

/** Strings as JSON carries them: any unicode, lone surrogates included (JSON.stringify escapes them). */
const anyString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "grapheme", maxLength: 10 }),
  fc.string({ unit: "binary", maxLength: 10 }),
  fc.constantFrom("\uD800", "a\uDFFFb", "\r\n", "\u0000", "é".repeat(300), "k".repeat(600), ".", ".."),
);
const key = fc.oneof({ weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 20 }) }, { weight: 2, arbitrary: anyString });
const tag = fc.oneof({ weight: 3, arbitrary: fc.stringMatching(/^[a-z0-9:_-]{1,12}$/) }, { weight: 1, arbitrary: anyString });
const json = fc.jsonValue({ maxDepth: 3 });

/** Inputs shaped like each procedure's, each field sometimes wrong. */
const inputFor = (procedure: (typeof PROCEDURES)[number]) => {
  const namespace = fc.constantFrom(...NAMESPACES);
  const shapes = {
    get: fc.record({ namespace, key, maxStaleMs: fc.oneof(fc.nat(100_000), json) }, { requiredKeys: ["key"] }),
    set: fc.record(
      {
        namespace,
        key,
        value: json,
        ttlMs: fc.integer({ min: -5, max: 1e9 }),
        tags: fc.array(tag, { maxLength: 4 }),
        ifVersion: fc.integer({ min: -1, max: 5 }),
        idempotencyKey: fc.uuid(),
      },
      { requiredKeys: ["key", "value"] },
    ),
    delete: fc.record({ namespace, key }, { requiredKeys: ["key"] }),
    invalidate: fc.record(
      {
        namespace,
        tags: fc.array(tag, { maxLength: 3 }),
        keys: fc.array(key, { maxLength: 3 }),
        mode: fc.constantFrom("purge", "stale", "nuke"),
      },
      { requiredKeys: [] },
    ),
    status: fc.record({ namespace, id: anyString }, { requiredKeys: ["id"] }),
    stats: fc.record({ namespace }, { requiredKeys: [] }),
    flush: fc.record({ namespace }, { requiredKeys: [] }),
    warm: fc.record({ namespace, keys: fc.array(key, { maxLength: 3 }), tags: fc.array(tag, { maxLength: 2 }) }, { requiredKeys: [] }),
  } satisfies Record<(typeof PROCEDURES)[number], fc.Arbitrary<Record<string, unknown>>>;
  return fc.oneof({ weight: 5, arbitrary: shapes[procedure] as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: json });
};

/** Bodies built once (deterministic): big, deep and many-noded values, and not-UTF-8 bytes. */
const HOSTILE_BODIES: (string | Uint8Array<ArrayBuffer>)[] = [
  `{"key":"wide","value":[${Array.from({ length: 150_000 }, () => "0").join(",")}]}`,
  `{"key":"deep","value":${"[".repeat(5_000)}${"]".repeat(5_000)}}`,
  `{"key":"deepobj","value":${'{"a":'.repeat(2_000)}1${"}".repeat(2_000)}}`,
  `{"key":"long","value":"${"x".repeat(1_200_000)}"}`,
  new Uint8Array([
    0x7b, 0x22, 0x6b, 0x65, 0x79, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xed, 0xa0, 0x80, 0x22, 0x2c, 0x22, 0x76, 0x61, 0x6c, 0x75, 0x65, 0x22,
    0x3a, 0x31, 0x7d,
  ]),
  "{",
  "",
  "null",
  '{"0":{"key":"a"},"1":',
];

const tokenHeader = (tokens: WireTokens) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(`Bearer ${tokens.admin}`, `Bearer ${tokens.reader}`, `Bearer ${tokens.writer}`) },
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: headerValue.map((value) => `Bearer ${value}`) },
    { weight: 1, arbitrary: headerValue },
  );

/** Header values fetch accepts: printable Latin-1 without CR, LF or NUL. */
const headerValue = fc
  .string({
    unit: fc
      .integer({ min: 0x20, max: 0xff })
      .filter((c) => c !== 0x7f)
      .map((c) => String.fromCharCode(c)),
    maxLength: 40,
  })
  .map((v) => v.trim());

const commonHeaders = (tokens: WireTokens) =>
  fc
    .record(
      {
        authorization: tokenHeader(tokens),
        "x-request-id": fc.oneof(headerValue, fc.stringMatching(/^[A-Za-z0-9._:-]{8,64}$/)),
        "if-none-match": fc.oneof(headerValue, fc.constantFrom("*", '"1"', 'W/"2", "3"')),
        "content-type": fc.constantFrom(
          "application/json",
          "application/json; charset=utf-8",
          "text/plain",
          "application/x-www-form-urlencoded",
          "APPLICATION/JSON",
        ),
        origin: fc.constantFrom("https://app.example.com", "https://evil.example", "null"),
      },
      { requiredKeys: [] },
    )
    .map((headers) => Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== undefined)) as Record<string, string>);

/** A tRPC request: procedure names (some unknown), batch or not, input in the query or the body. */
const trpcRequest = (tokens: WireTokens) =>
  fc
    .record({
      names: fc.array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...PROCEDURES) }, { weight: 1, arbitrary: segment }), {
        minLength: 1,
        maxLength: 4,
      }),
      batch: fc.boolean(),
      method: fc.constantFrom("GET", "GET", "GET", "POST", "POST", "POST", "PUT", "HEAD", "OPTIONS", "DELETE"),
      headers: commonHeaders(tokens),
      bodyKind: fc.constantFrom("json", "json", "json", "hostile", "garbage"),
      hostile: fc.constantFrom(...HOSTILE_BODIES.keys()),
      garbage: fc.string({ unit: "binary", maxLength: 60 }),
      pathEscape: fc.boolean(),
    })
    .chain((shape) =>
      fc.tuple(
        fc.constant(shape),
        fc.tuple(
          ...shape.names.map((name) =>
            inputFor((PROCEDURES as readonly string[]).includes(name) ? (name as (typeof PROCEDURES)[number]) : "get"),
          ),
        ),
      ),
    )
    .map(([shape, inputs]): WireRequest => {
      const joined = shape.names.join(",");
      const pathNames = shape.pathEscape ? joined.replaceAll(",", "%2C") : joined;
      const input = shape.batch ? Object.fromEntries(inputs.map((one, index) => [index, one])) : inputs[0];
      const inputText = JSON.stringify(input) ?? "";
      const query = `${shape.batch ? "batch=1&" : ""}`;
      if (shape.method === "GET" || shape.method === "HEAD") {
        return {
          method: shape.method,
          path: `/trpc/${pathNames}?${query}input=${encodeURIComponent(inputText)}`,
          headers: shape.headers,
          note: `${shape.method} ${joined} ${inputText.slice(0, 200)}`,
        };
      }
      const body = shape.bodyKind === "json" ? inputText : shape.bodyKind === "hostile" ? HOSTILE_BODIES[shape.hostile]! : shape.garbage;
      const shown = typeof body === "string" ? body.slice(0, 200) : `<${body.byteLength} bytes>`;
      return {
        method: shape.method,
        path: `/trpc/${pathNames}${query ? `?${query}` : ""}`,
        headers: shape.headers,
        body,
        note: `${shape.method} ${joined} ${shown}`,
      };
    });

/** A call as a well-behaved client sends it (right method, JSON, a real token), with generated inputs. */
const plausibleRequest = (tokens: WireTokens) =>
  fc
    .record({
      procedure: fc.constantFrom(...PROCEDURES),
      token: fc.constantFrom(tokens.admin, tokens.admin, tokens.reader, tokens.writer),
      namespace: fc.constantFrom("default", "open", "products", "unlisted"),
      key: fc.oneof({ weight: 5, arbitrary: fc.stringMatching(/^[a-z0-9/_-]{1,16}$/) }, { weight: 1, arbitrary: key }),
      value: json,
      tags: fc.array(tag, { maxLength: 3 }),
    })
    .map(({ procedure, token, namespace, key: k, value, tags }): WireRequest => {
      const inputs: Record<(typeof PROCEDURES)[number], unknown> = {
        get: { namespace, key: k },
        set: { namespace, key: k, value, tags },
        delete: { namespace, key: k },
        invalidate: { namespace, tags: tags.length > 0 ? tags : ["t"] },
        status: { namespace, id: k },
        stats: { namespace },
        flush: { namespace },
        warm: { namespace, keys: [k] },
      };
      const text = JSON.stringify(inputs[procedure]);
      const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
      return procedure === "get" || procedure === "status" || procedure === "stats"
        ? {
            method: "GET",
            path: `/trpc/${procedure}?input=${encodeURIComponent(text)}`,
            headers,
            note: `GET ${procedure} ${text.slice(0, 200)}`,
          }
        : { method: "POST", path: `/trpc/${procedure}`, headers, body: text, note: `POST ${procedure} ${text.slice(0, 200)}` };
    });

/** A read-through request: fuzzed namespace and key segments, sometimes a known namespace. */
const proxyRequest = (tokens: WireTokens) =>
  fc
    .record({
      namespace: fc.oneof(
        { weight: 2, arbitrary: fc.constantFrom("default", "open", "products", "unlisted") },
        { weight: 3, arbitrary: segment },
      ),
      key: fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join("/")),
      method: fc.constantFrom("GET", "GET", "GET", "HEAD", "POST"),
      headers: commonHeaders(tokens),
    })
    .map(
      (r): WireRequest => ({
        method: r.method,
        path: `/r/${r.namespace}/${r.key}`,
        headers: r.headers,
        note: `${r.method} /r ${r.namespace} ${r.key}`,
      }),
    );

/** Anything else: /health, unknown routes, near-misses of real ones. */
const otherRequest = (tokens: WireTokens) =>
  fc
    .record({
      prefix: fc.constantFrom("/health", "/trpc", "/trpc/", "/r", "/r/", "/x-", "/health/"),
      rest: segment,
      method: fc.constantFrom("GET", "POST", "HEAD", "OPTIONS"),
      headers: commonHeaders(tokens),
    })
    .map(
      (r): WireRequest => ({
        method: r.method,
        path: `${r.prefix}${r.rest}`,
        headers: r.headers,
        note: `${r.method} ${r.prefix}${r.rest}`,
      }),
    );

export const wireRequest = (tokens: WireTokens): fc.Arbitrary<WireRequest> =>
  fc.oneof(
    { weight: 4, arbitrary: plausibleRequest(tokens) },
    { weight: 4, arbitrary: trpcRequest(tokens) },
    { weight: 2, arbitrary: proxyRequest(tokens) },
    { weight: 1, arbitrary: otherRequest(tokens) },
  );

/** A string of arbitrary UTF-16 units as percent-escapes, lone surrogates as their 3 UTF-8 bytes. */
function encodeUtf16Loosely(text: string): string {
  let out = "";
  for (const unit of text) {
    const code = unit.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join("");
    } else {
      out += encodeURIComponent(unit);
    }
  }
  return out;
}
