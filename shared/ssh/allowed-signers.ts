import { decodeBase64Strict } from '../encoding/base64';
import { FormatError } from '../formats/format-error';

/** One line of an allowed signers file (ssh-keygen(1), ALLOWED SIGNERS). */
export interface AllowedSigner {
  line: number;
  /** Comma-separated patterns (`*`, `?`, `!` negation), as written. */
  principals: string;
  certAuthority: boolean;
  /** Comma-separated namespace patterns, or null when the line allows every namespace. */
  namespaces: string | null;
  validAfter: Date | null;
  validBefore: Date | null;
  keyType: string;
  keyBlob: Uint8Array;
}

const MAX_ALLOWED_SIGNERS_BYTES = 4 * 1024 * 1024;

/**
 * Reads an allowed signers file: `principals [options] keytype base64-key [comment]` per line,
 * `#` comments and blank lines skipped. Options: cert-authority, namespaces="...",
 * valid-after="...", valid-before="..." (case-insensitive names, as OpenSSH reads them). A line
 * that cannot be read is an error naming it: a file that says more than can be read is not
 * half-applied.
 */
export function parseAllowedSigners(text: string, what: string): AllowedSigner[] {
  if (text.length > MAX_ALLOWED_SIGNERS_BYTES) throw new FormatError(what, `larger than ${MAX_ALLOWED_SIGNERS_BYTES} bytes`);
  const signers: AllowedSigner[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `${what} line ${index + 1}`;
    const tokens = tokenize(line, where);
    const principals = tokens.shift();
    if (principals === undefined || principals === '') throw new FormatError(where, 'no principals');
    let options = '';
    if (tokens.length > 0 && !looksLikeKeyType(tokens[0]!)) options = tokens.shift()!;
    const keyType = tokens.shift();
    const keyBase64 = tokens.shift();
    if (keyType === undefined || keyBase64 === undefined) throw new FormatError(where, 'expected "principals [options] keytype base64-key"');
    const signer: AllowedSigner = { line: index + 1, principals: unquote(principals), certAuthority: false, namespaces: null, validAfter: null, validBefore: null, keyType, keyBlob: decodeKey(keyBase64, where) };
    for (const option of splitOptions(options, where)) applyOption(signer, option, where);
    signers.push(signer);
  });
  return signers;
}

function looksLikeKeyType(token: string): boolean {
  return /^(ssh-|ecdsa-sha2-|sk-)/.test(token);
}

/** Splits on whitespace outside double quotes. */
function tokenize(line: string, where: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    if (!quoted && /\s/.test(char)) {
      if (current !== '') tokens.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (quoted) throw new FormatError(where, 'an unterminated quote');
  if (current !== '') tokens.push(current);
  return tokens;
}

/** Splits options on commas outside double quotes. */
function splitOptions(options: string, where: string): string[] {
  if (options === '') return [];
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of options) {
    if (char === '"') quoted = !quoted;
    if (!quoted && char === ',') {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  if (parts.some((part) => part === '')) throw new FormatError(where, 'an empty option');
  return parts;
}

function applyOption(signer: AllowedSigner, option: string, where: string): void {
  const equals = option.indexOf('=');
  const name = (equals === -1 ? option : option.slice(0, equals)).toLowerCase();
  const value = equals === -1 ? null : unquote(option.slice(equals + 1));
  if (name === 'cert-authority' && value === null) signer.certAuthority = true;
  else if (name === 'namespaces' && value !== null) signer.namespaces = value;
  else if (name === 'valid-after' && value !== null) signer.validAfter = parseSshTime(value, `${where} valid-after`);
  else if (name === 'valid-before' && value !== null) signer.validBefore = parseSshTime(value, `${where} valid-before`);
  else throw new FormatError(where, `unsupported option ${JSON.stringify(option)}`);
}

function unquote(text: string): string {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
}

function decodeKey(base64: string, where: string): Uint8Array {
  try {
    return decodeBase64Strict(base64, `${where} key`);
  } catch (error) {
    throw new FormatError(where, `the key is not valid base64: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * YYYYMMDD[HHMM[SS]], optionally ending in Z for UTC; without Z, the local time zone, as OpenSSH
 * reads it.
 */
export function parseSshTime(text: string, where: string): Date {
  const match = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?(Z)?$/.exec(text);
  if (!match) throw new FormatError(where, `expected YYYYMMDD[HHMM[SS]][Z], got ${JSON.stringify(text)}`);
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => (part === undefined ? 0 : Number(part))) as [number, number, number, number, number, number];
  const date = match[7] ? new Date(Date.UTC(year, month - 1, day, hour, minute, second)) : new Date(year, month - 1, day, hour, minute, second);
  const back = match[7]
    ? [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()]
    : [date.getFullYear(), date.getMonth() + 1, date.getDate(), date.getHours(), date.getMinutes(), date.getSeconds()];
  if (back.some((value, i) => value !== [year, month, day, hour, minute, second][i])) throw new FormatError(where, `${text} is not a real date and time`);
  return date;
}

/**
 * OpenSSH's match_pattern_list: true when some pattern matches and no negated (`!`) pattern
 * does. Patterns use `*` and `?`; matching is case-sensitive.
 */
export function matchPatternList(value: string, patterns: string): boolean {
  let positive = false;
  for (const raw of patterns.split(',')) {
    const negated = raw.startsWith('!');
    const pattern = negated ? raw.slice(1) : raw;
    if (matchPattern(value, pattern)) {
      if (negated) return false;
      positive = true;
    }
  }
  return positive;
}

function matchPattern(value: string, pattern: string): boolean {
  // Iterative wildcard match: no regular expression built from outside text.
  let v = 0;
  let p = 0;
  let starP = -1;
  let starV = 0;
  while (v < value.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === value[v])) {
      v++;
      p++;
    } else if (p < pattern.length && pattern[p] === '*') {
      starP = p++;
      starV = v;
    } else if (starP !== -1) {
      p = starP + 1;
      v = ++starV;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}
