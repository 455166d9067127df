import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/** An approval's file name: the reviewer's key ID made filename-safe, then the time it was made. */
export function approvalFileName(reviewerKeyId: string, reviewedAt: string): string {
  const key = reviewerKeyId.replace(/^SHA256:/, 'SHA256-').replaceAll('+', '-').replaceAll('/', '_');
  const time = reviewedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${key}-${time}.dsse.json`;
}

/**
 * Writes `text` to `target` so that the file appears whole or not at all, and never replaces one
 * that exists: it is written under a fresh temporary name in the same directory (created
 * exclusively), synced, then hard-linked to its final name (which fails if the name is taken)
 * and the temporary name removed.
 */
export async function writeFileAtomically(target: string, text: string): Promise<void> {
  const directory = path.dirname(target);
  const temporary = path.join(directory, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(temporary, 'wx', 0o644);
  try {
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.link(temporary, target);
  } finally {
    await fs.rm(temporary, { force: true });
  }
}

/**
 * The bundle's approvals/ folder, made if missing. A directory bundle holding a symlink is refused
 * when opened; this checks again at write time so the approval can never land outside the bundle.
 */
export async function bundleApprovalsFolder(bundleRoot: string): Promise<string> {
  const folder = path.join(bundleRoot, 'approvals');
  await fs.mkdir(folder, { recursive: false }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  const stats = await fs.lstat(folder);
  if (!stats.isDirectory()) throw new Error(`${folder} is not a folder (a link or a file is in its place); the approval was not written.`);
  return folder;
}
