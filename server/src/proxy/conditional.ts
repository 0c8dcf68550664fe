/**
 * Conditional GETs (RFC 9110 §13): whether a stored representation the client already holds is
 * still current, so the answer can be a 304 without the body. If-None-Match wins over
 * If-Modified-Since when both are present (§13.2.2). Dates have whole-second granularity: two writes
 * within one second are told apart only by the ETag, which caches send whenever they have one.
 */

export function notModified(headers: Headers, etag: string, lastModified: string | undefined | null): boolean {
  const ifNoneMatch = headers.get("If-None-Match");
  if (ifNoneMatch !== null) return matchesEtag(ifNoneMatch, etag);
  const ifModifiedSince = headers.get("If-Modified-Since");
  if (ifModifiedSince === null || !lastModified) return false;
  const since = Date.parse(ifModifiedSince);
  // An unparseable date is ignored (§13.1.3), so the full answer is sent.
  return !Number.isNaN(since) && Date.parse(lastModified) <= since;
}

/** RFC 9110 §13.1.2: If-None-Match uses weak comparison and may list several tags, or `*`. */
function matchesEtag(header: string, etag: string): boolean {
  return header.split(",").some((candidate) => {
    const tag = candidate.trim();
    return tag === "*" || tag.replace(/^W\//, "") === etag;
  });
}
