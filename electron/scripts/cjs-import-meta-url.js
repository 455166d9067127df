// Injected into CommonJS bundles so code written for ESM can use import.meta.url.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- this file only exists inside CommonJS bundles
export const __import_meta_url = require('node:url').pathToFileURL(__filename).href;
