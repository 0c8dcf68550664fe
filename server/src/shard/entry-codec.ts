/**
 * The only code that knows how an entry is stored in SQLite: JSON text, gzip-compressed
 * (CompressionStream) above the namespace's `compressAboveBytes`.
 */
import type { CacheEntry } from "./entry.ts";

export type Encoding = "json" | "gzip";

export interface EntryRow extends Record<string, SqlStorageValue> {
  key: string;
  value: string | ArrayBuffer;
  encoding: string;
  version: number;
  tags: string;
  written_at: number;
  fresh_until: number;
  stale_until: number;
  size: number;
  negative: number;
  seq: number;
}

export interface EncodedValue {
  data: string | ArrayBuffer;
  encoding: Encoding;
}

export async function encodeValue(json: string, size: number, compressAboveBytes: number): Promise<EncodedValue> {
  if (size <= compressAboveBytes) return { data: json, encoding: "json" };
  const stream = new Blob([json]).stream().pipeThrough(new CompressionStream("gzip"));
  return { data: await new Response(stream).arrayBuffer(), encoding: "gzip" };
}

/** The stored JSON text; it was valid JSON when written, so it is not parsed again on the way out. */
async function decodeValue(data: string | ArrayBuffer, encoding: string): Promise<string> {
  if (encoding === "json") return data as string;
  const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).text();
}

export function entryColumns(entry: CacheEntry, encoded: EncodedValue): SqlStorageValue[] {
  return [
    encoded.data,
    encoded.encoding,
    entry.version,
    JSON.stringify(entry.tags),
    entry.writtenAt,
    entry.freshUntil,
    entry.staleUntil,
    entry.size,
    entry.negative ? 1 : 0,
    entry.seq,
  ];
}

export async function entryFromRow(row: EntryRow): Promise<CacheEntry> {
  return {
    json: row.negative ? "null" : await decodeValue(row.value, row.encoding),
    version: row.version,
    tags: JSON.parse(row.tags) as string[],
    writtenAt: row.written_at,
    freshUntil: row.fresh_until,
    staleUntil: row.stale_until,
    size: row.size,
    negative: row.negative === 1,
    seq: row.seq,
  };
}
