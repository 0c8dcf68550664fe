// The request log, the tRPC gate, the colo check and /r read the path and query from the URL's text
// instead of building a URL: they must read what a URL would.
import { describe, expect, it } from "vitest";
import { rawPath, rawQuery } from "./raw-path.ts";

const HREFS = [
  "http://127.0.0.1:8787/trpc/get?input=%7B%22key%22%3A%22a%22%7D",
  "http://127.0.0.1:8787/trpc/get,stats?batch=1&input=%7B%220%22%3A%7B%7D%7D",
  "http://127.0.0.1:8787/trpc/get?input=a%26b&input=second",
  "http://127.0.0.1:8787/trpc/get?input=%22%3F%23%22",
  "http://127.0.0.1:8787/r/default/a%2Fb%3Fc?x=1",
  "http://127.0.0.1:8787/r/default/%E2%9C%93",
  "http://127.0.0.1:8787/health",
  "http://127.0.0.1:8787/",
  "http://127.0.0.1:8787",
  "http://127.0.0.1:8787/a?",
  "http://127.0.0.1:8787/a?b#c?d",
  "http://127.0.0.1:8787/a#b?c",
  "https://cache.example/trpc/get?input=%7B%7D",
];

describe("rawPath and rawQuery read a URL's text as a URL object would", () => {
  it.each(HREFS)("%s", (href) => {
    const url = new URL(href);
    expect(rawPath(href)).toBe(url.pathname);
    expect(rawQuery(href)).toBe(url.search.slice(1));
    expect([...new URLSearchParams(rawQuery(href))]).toEqual([...url.searchParams]);
  });
});
