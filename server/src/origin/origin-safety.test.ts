// Hostile traffic, defect 3: keys cannot walk out of the origin's URL template, the origin's
// headers never follow a redirect to another host, and origin bodies are bounded.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { behave, originCount, originSeen, uniqueKey } from "../../test/support/origin-control.ts";
import { mutate, ok, query, send } from "../../test/support/trpc-http.ts";

const SECRET = "origin-secret-7f3a"; // the `guarded` namespace's configured origin header (test-config.ts)

describe("dot-segment keys in origin namespaces (issue: hostile traffic, 3)", () => {
  for (const key of [".", ".."]) {
    it(`get, set and warm refuse the key "${key}" with a 400 that says why`, async () => {
      for (const reply of [
        await query("get", { namespace: "guarded", key }),
        await mutate("set", { namespace: "guarded", key, value: 1 }),
        await mutate("warm", { namespace: "guarded", keys: ["fine", key] }),
      ]) {
        expect(reply.status, JSON.stringify(reply.body)).toBe(400);
        expect(reply.body.error.message).toContain(`key "${key}" is a dot segment`);
      }
    });
  }

  it("the proxy never turns them into an origin request either", async () => {
    // URL parsers resolve "%2E%2E" as a dot segment before the Worker sees the path; whatever
    // arrives is a client error, and the same check as get's stands behind the proxy.
    for (const path of ["/r/guarded/%2E%2E", "/r/guarded/.", "/r/guarded/%2e"]) {
      const reply = await send(path);
      expect([400, 404], path).toContain(reply.status);
      expect(reply.body.error.data.code).toMatch(/BAD_REQUEST|NOT_FOUND/);
    }
  });

  it("namespaces without an origin still take them as plain keys", async () => {
    await ok(mutate("set", { key: "..", value: "dots" }));
    expect((await ok(query("get", { key: ".." }))).value).toBe("dots");
  });
});

describe("redirects (issue: hostile traffic, 3)", () => {
  it("a redirect to another host is a 502, and the origin's headers never reach that host", async () => {
    const key = uniqueKey("redirect-away");
    const elsewhere = uniqueKey("elsewhere");
    // Another host name for the same test server: a different origin to the Worker.
    await behave(key, { redirect: `http://localhost:${env.ORIGIN_PORT}/items/${elsewhere}` });
    const reply = await query("get", { namespace: "guarded", key });
    expect(reply.status).toBe(502);
    expect(reply.body.error.data.code).toBe("BAD_GATEWAY");
    expect(reply.body.error.message).toMatch(/redirected to another host/);
    expect(await originSeen(elsewhere)).toEqual([]);
    expect((await originSeen(key)).map((seen) => seen.secret)).toEqual([SECRET]);
  });

  it("a redirect within the origin is followed, with its headers", async () => {
    const key = uniqueKey("redirect-home");
    const target = uniqueKey("moved");
    await behave(key, { redirect: `/items/${target}` });
    await behave(target, { value: { moved: true } });
    const data = await ok(query("get", { namespace: "guarded", key }));
    expect(data.value).toEqual({ moved: true });
    expect((await originSeen(target)).map((seen) => seen.secret)).toEqual([SECRET]);
  });

  it("a redirect loop within the origin ends after a few hops with a 502", async () => {
    const key = uniqueKey("loop");
    await behave(key, { redirect: `/items/${key}` });
    const reply = await query("get", { namespace: "guarded", key });
    expect(reply.status).toBe(502);
    expect(reply.body.error.message).toMatch(/redirected more than 3 times/);
    expect(await originCount(key)).toBe(4);
  });
});

describe("origin bodies are bounded by origin.maxBodyBytes (issue: hostile traffic, 3)", () => {
  // `guarded` has maxValueBytes 2,000, so its origin bodies are bounded at 2,000 bytes.
  for (const chunked of [false, true]) {
    it(`a body over the bound (${chunked ? "chunked, counted" : "by Content-Length"}) is a 502 and nothing is cached`, async () => {
      const key = uniqueKey(chunked ? "big-chunked" : "big");
      await behave(key, { value: { blob: "x".repeat(5_000) }, chunked });
      const reply = await query("get", { namespace: "guarded", key });
      expect(reply.status).toBe(502);
      expect(reply.body.error.message).toMatch(/larger than 2000 bytes/);
      await behave(key, { value: { small: true } });
      const next = await ok(query("get", { namespace: "guarded", key }));
      expect(next).toMatchObject({ value: { small: true }, source: "origin" });
    });
  }
});
