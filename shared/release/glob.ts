import { InvalidInputError } from '../errors/domain-error';

/**
 * Glob patterns for `--exclude` and `--kind`, matched against a subject name (`/`-separated):
 * `*` any run of characters within one segment, `?` one character within a segment, `**` any
 * run of segments (`**​/` also none). A pattern without `/` matches the name's last segment,
 * as in .gitignore, so `*.tmp` drops every .tmp file at any depth.
 */
export interface GlobMatcher {
  pattern: string;
  matches(name: string): boolean;
}

export function compileGlob(pattern: string): GlobMatcher {
  if (pattern === '') throw new GlobError(pattern, 'it is empty');
  const basenameOnly = !pattern.includes('/');
  const expression = new RegExp(`^${translate(pattern)}$`, 'u');
  return {
    pattern,
    matches: (name) => expression.test(basenameOnly ? name.slice(name.lastIndexOf('/') + 1) : name),
  };
}

export class GlobError extends InvalidInputError {
  constructor(pattern: string, problem: string) {
    super(`${JSON.stringify(pattern)} is not a usable pattern: ${problem}`);
  }
}

function translate(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*' && pattern[i + 1] === '*') {
      const followedBySlash = pattern[i + 2] === '/';
      out += followedBySlash ? '(?:.*/)?' : '.*';
      i += followedBySlash ? 2 : 1;
    } else if (char === '*') {
      out += '[^/]*';
    } else if (char === '?') {
      out += '[^/]';
    } else {
      out += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return out;
}
