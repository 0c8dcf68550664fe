/**
 * One stand-in server per test file and the clients a test opens, closed after each test: the
 * setup the queue tests share. Register it at the top level of a file.
 */
import { afterAll, afterEach, beforeAll } from "vitest";
import type { CacheClient } from "../../src/index.ts";
import { startFakeCacheServer, type FakeCacheServer } from "./fake-cache-server.ts";

export interface FakeServerFixture {
  readonly server: FakeCacheServer;
  /** Clients to close after the test (push every client the test creates). */
  readonly clients: CacheClient[];
}

export function fakeServerFixture(): FakeServerFixture {
  let server: FakeCacheServer | undefined;
  const clients: CacheClient[] = [];
  beforeAll(async () => {
    server = await startFakeCacheServer();
  });
  afterAll(() => server?.close());
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    if (server) server.received.length = 0;
  });
  return {
    get server() {
      if (!server) throw new Error("the fake server starts in beforeAll");
      return server;
    },
    clients,
  };
}
