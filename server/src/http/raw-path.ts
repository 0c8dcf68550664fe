/**
 * A request URL's path and query as sent (percent-escapes kept), without building a URL object:
 * the request log and the tRPC gate read them on every request. hono's `c.req.path` is decoded,
 * which the proxy's own path parser must not get (it decodes each segment once itself).
 */
export function rawPath(href: string): string {
  const start = href.indexOf("/", href.indexOf("://") + 3);
  if (start === -1) return "/";
  let end = href.length;
  for (let i = start; i < href.length; i++) {
    const char = href.charCodeAt(i);
    if (char === 63 /* ? */ || char === 35 /* # */) {
      end = i;
      break;
    }
  }
  return href.slice(start, end);
}

/** The query of a request URL without its "?" ("" for none), as `URL.search` has it: for `URLSearchParams`. */
export function rawQuery(href: string): string {
  const hash = href.indexOf("#");
  const end = hash === -1 ? href.length : hash;
  const start = href.indexOf("?");
  return start === -1 || start > end ? "" : href.slice(start + 1, end);
}
