import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { BundleError } from './bundle-error';

export type ArchiveFormat = 'tar' | 'tar.gz' | 'zip';

export const NOT_A_BUNDLE = 'not a bundle: expected a directory or a .tar, .tar.gz, .tgz, .zip or .csbundle archive';

/** Countersign's own extension (README, "Formats: extensions"): a zip or a gzip-compressed tar of a bundle, told apart by its bytes. */
const CSBUNDLE_EXTENSION = '.csbundle';

const HEAD_BYTES = 512;
const TAR_MAGIC_OFFSET = 257;

function startsWith(head: Uint8Array, bytes: number[], offset = 0): boolean {
  return bytes.every((byte, index) => head[offset + index] === byte);
}

/** The format the first bytes say: zip (local header, or the end record of an empty zip), gzip, or ustar/GNU tar. */
export function formatFromMagic(head: Uint8Array): ArchiveFormat | null {
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
  if (startsWith(head, [0x1f, 0x8b])) return 'tar.gz';
  if (startsWith(head, [0x75, 0x73, 0x74, 0x61, 0x72], TAR_MAGIC_OFFSET)) return 'tar';
  return null;
}

export function formatFromName(fileName: string): ArchiveFormat | null {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.tar.gz') || lower.endsWith('.tgz')) return 'tar.gz';
  if (lower.endsWith('.tar')) return 'tar';
  if (lower.endsWith('.zip')) return 'zip';
  return null;
}

const DESCRIPTION: Record<ArchiveFormat, string> = { tar: 'a tar archive', 'tar.gz': 'a gzip-compressed archive', zip: 'a zip archive' };

/**
 * The archive format of a file, decided by its first bytes. The extension is a cross-check
 * only: a bundle must carry one of the four archive extensions, and it must agree with the
 * bytes, so a renamed file is reported as such instead of being read as something else.
 */
export async function detectArchiveFormat(path: string): Promise<ArchiveFormat> {
  const head = new Uint8Array(HEAD_BYTES);
  const handle = await open(path, 'r');
  try {
    await handle.read(head, 0, HEAD_BYTES, 0);
  } finally {
    await handle.close();
  }
  const name = basename(path);
  const fromBytes = formatFromMagic(head);
  if (name.toLowerCase().endsWith(CSBUNDLE_EXTENSION) && (fromBytes === 'zip' || fromBytes === 'tar.gz')) return fromBytes;
  const fromName = formatFromName(name);
  if (fromName === null || fromBytes === null) {
    throw new BundleError('unreadable', `${name}: ${NOT_A_BUNDLE}.`);
  }
  if (fromName !== fromBytes) {
    throw new BundleError('unreadable', `${name}: the extension says ${DESCRIPTION[fromName]} but the contents are ${DESCRIPTION[fromBytes]}; the extension and the contents disagree.`);
  }
  return fromBytes;
}
