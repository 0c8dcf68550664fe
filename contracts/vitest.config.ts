// Node tests of the contracts package (the generated JSON Schema stays in sync with zod).
import { defineConfig } from "vitest/config";

export default defineConfig({ test: { include: ["test/**/*.test.ts"], environment: "node" } });
