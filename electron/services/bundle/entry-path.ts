import { BundleError } from './bundle-error';
import { jsonText } from '../../../shared/text/neutralise';
import type { BundleLimits } from './limits';

/** An entry name that passed every check, split into its segments. */
export interface EntryPath {
  /** The segments as stored (what a directory walk finds on disk). */
  rawSegments: string[];
  /** The same segments in Unicode NFC: the form relPaths use and archives are unpacked to. */
  segments: string[];
  /** POSIX, NFC: `artifacts/model/fraud-m92.onnx`. */
  relPath: string;
}

export type EntryKind = 'file' | 'directory';

const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
const WINDOWS_DRIVE = /^[A-Za-z]:/;

/**
 * Nested archives are judged by name only, never by magic bytes: plenty of legitimate
 * artifacts are zip files inside (PyTorch .pt checkpoints, .keras, .npz, .jar), and refusing
 * those would refuse ordinary models. What is refused is a bundle that ships archives meant
 * to be unpacked again, where this reader's checks would not reach.
 */
const NESTED_ARCHIVE = /\.(tar|tar\.gz|tgz|zip)$/i;

/** The name as it can be shown safely in a message: quoted, control characters escaped. */
export function displayName(name: string): string {
  return jsonText(name, 0);
}

export function refuseEntry(name: string, reason: string): never {
  throw new BundleError('hostile-input', `Refused entry ${displayName(name)}: ${reason}.`, name);
}

/**
 * Checks one entry name from an archive (or a path found walking a directory) and returns its
 * segments, or null for the archive's own root (`./`), which creates nothing. Throws a
 * hostile-input BundleError naming the entry for anything a bundle never needs.
 *
 * A leading `./` is accepted because `tar -C dir .` writes every name that way; a trailing
 * `/` is accepted on directories because tar and zip both mark them so.
 */
export function checkEntryPath(name: string, kind: EntryKind, limits: BundleLimits): EntryPath | null {
  if (name === '') refuseEntry(name, 'the name is empty');
  if (CONTROL_CHARACTER.test(name)) refuseEntry(name, 'the name contains a NUL or control character');
  if (name.startsWith('/') || name.startsWith('\\') || WINDOWS_DRIVE.test(name)) {
    refuseEntry(name, 'the path is absolute; a bundle holds only relative paths');
  }
  if (name.includes('\\')) refuseEntry(name, 'the name contains a backslash, which Windows reads as a path separator');
  if (Buffer.byteLength(name, 'utf8') > limits.maxPathBytes) {
    refuseEntry(name, `the path is longer than the cap of ${limits.maxPathBytes} bytes`);
  }

  let path = name;
  while (path.startsWith('./')) path = path.slice(2);
  if (kind === 'directory' && path.endsWith('/')) path = path.slice(0, -1);
  if (path === '' || path === '.') {
    if (kind === 'directory') return null;
    refuseEntry(name, 'a file cannot stand for the bundle root');
  }

  const rawSegments = path.split('/');
  for (const segment of rawSegments) {
    if (segment === '') refuseEntry(name, 'the path has an empty segment');
    if (segment === '..') refuseEntry(name, 'the path climbs out of the bundle with a ".." segment');
    if (segment === '.') refuseEntry(name, 'the path has a "." segment');
  }
  if (rawSegments.length > limits.maxDepth) {
    refuseEntry(name, `the path is ${rawSegments.length} levels deep, past the cap of ${limits.maxDepth}`);
  }
  if (kind === 'file' && NESTED_ARCHIVE.test(path)) {
    refuseEntry(name, 'nested archives (.tar, .tar.gz, .tgz, .zip) are not allowed inside a bundle');
  }

  const segments = rawSegments.map((segment) => segment.normalize('NFC'));
  return { rawSegments, segments, relPath: segments.join('/') };
}
