// Injected into CommonJS bundles so code written for ESM can use import.meta.url.
export const __import_meta_url = require('node:url').pathToFileURL(__filename).href;
