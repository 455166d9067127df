import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { resolveRendererPath } from './renderer-files';

const root = path.resolve('/srv/countersign/dist/renderer');

function servedFile(pathname: string): string | null {
  const lookup = resolveRendererPath(root, pathname);
  return lookup.found ? lookup.filePath : null;
}

describe('resolveRendererPath', () => {
  it('serves index.html for the root path', () => {
    const lookup = resolveRendererPath(root, '/');
    expect(lookup).toEqual({ found: true, filePath: path.join(root, 'index.html'), contentType: 'text/html; charset=utf-8' });
  });

  it('serves assets with their content type', () => {
    const lookup = resolveRendererPath(root, '/assets/index-3f2a9c.js');
    expect(lookup).toEqual({ found: true, filePath: path.join(root, 'assets', 'index-3f2a9c.js'), contentType: 'text/javascript; charset=utf-8' });
  });

  it('decodes ordinary percent-encoding', () => {
    expect(servedFile('/assets/my%20font.woff2')).toBe(path.join(root, 'assets', 'my font.woff2'));
  });

  it.each([
    ['a parent segment', '/../secret.html'],
    ['a parent segment deeper in', '/assets/../../secret.html'],
    ['an encoded parent segment', '/%2e%2e/secret.html'],
    ['a mixed-case encoded parent segment', '/%2E%2e/secret.html'],
    ['an encoded slash', '/..%2fsecret.html'],
    ['a backslash', '/..\\secret.html'],
    ['an encoded backslash', '/..%5csecret.html'],
    ['an encoded NUL', '/index.html%00.png'],
    ['a current-directory segment', '/./index.html'],
    ['malformed percent-encoding', '/assets/%E0%A4%A.js'],
    ['a path without a leading slash', 'index.html'],
    ['an absolute path in disguise', '//etc/passwd.html'],
  ])('refuses %s', (_name, pathname) => {
    expect(servedFile(pathname)).toBeNull();
  });

  it('refuses files it has no content type for', () => {
    const lookup = resolveRendererPath(root, '/assets/tool.exe');
    expect(lookup).toEqual({ found: false, reason: 'no content type is served for ".exe" files' });
  });
});
