/**
 * Ships the contract's JSON Schema in the package (`@cache-sync/client/schema.json`), for clients
 * in other languages. It is generated in the private contracts package and copied at build time.
 */
import { copyFileSync } from "node:fs";

copyFileSync(new URL("../../contracts/schema/procedures.json", import.meta.url), new URL("../dist/schema.json", import.meta.url));
