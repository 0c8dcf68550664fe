/** Writes schema/procedures.json from the zod schemas (`npm run generate -w contracts`). */
import { writeFileSync } from "node:fs";
import { procedureJsonSchemas } from "../src/json-schema.ts";

export const schemaPath = new URL("../schema/procedures.json", import.meta.url);

writeFileSync(schemaPath, `${JSON.stringify(procedureJsonSchemas(), null, 2)}\n`);
