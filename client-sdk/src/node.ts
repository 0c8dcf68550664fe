/** @cache-sync/client/node — Node-only pieces, kept out of the core so browsers and Workers never load `node:fs`. */
export { fileStorage } from "./storage/file/file-storage.ts";
