import path from 'node:path';

/**
 * Maps a request path of the renderer's origin to a file of the built renderer, refusing
 * anything that could leave its folder. Pure (no I/O, no Electron) so that it is tested
 * directly and the web host can share it.
 */

export type RendererFileLookup =
  | { found: true; filePath: string; contentType: string }
  | { found: false; reason: string };

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

/**
 * @param rootDir absolute folder of the built renderer
 * @param encodedPathname the URL's path as it arrived, still percent-encoded (e.g. `/assets/index-3f2a.js`)
 */
export function resolveRendererPath(rootDir: string, encodedPathname: string): RendererFileLookup {
  if (!encodedPathname.startsWith('/')) return refuse('the path does not start with /');

  // Checked before decoding too: an encoded dot segment or separator is never a real asset
  // name, so its only use is to smuggle `..` or `\` past a check made after decoding.
  if (/%2e|%2f|%5c|%00/i.test(encodedPathname)) return refuse('the path encodes a dot, a separator or NUL');

  let pathname: string;
  try {
    pathname = decodeURIComponent(encodedPathname);
  } catch {
    return refuse('the path is not valid percent-encoding');
  }
  if (pathname.includes('\0')) return refuse('the path contains NUL');
  if (pathname.includes('\\')) return refuse('the path contains a backslash');
  const segments = pathname.split('/').slice(1);
  if (segments.some((segment) => segment === '..' || segment === '.')) return refuse('the path contains a dot segment');

  const relative = pathname === '/' ? 'index.html' : segments.join('/');
  const root = path.resolve(rootDir);
  const filePath = path.resolve(root, relative);
  // The last word: whatever the checks above missed, the resolved file must stay inside the root.
  if (!filePath.startsWith(root + path.sep)) return refuse('the path leaves the renderer folder');

  const contentType = contentTypes[path.extname(filePath).toLowerCase()];
  if (contentType === undefined) return refuse(`no content type is served for "${path.extname(filePath)}" files`);
  return { found: true, filePath, contentType };
}

function refuse(reason: string): RendererFileLookup {
  return { found: false, reason };
}
