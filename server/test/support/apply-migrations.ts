/** Applies the D1 migrations to the test database before each test file (idempotent). */
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

await applyD1Migrations(env.MAIN_DB, env.TEST_MIGRATIONS);
