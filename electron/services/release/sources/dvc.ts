import path from 'node:path';
import { importDvcLock } from '../../../../shared/lineage/import-dvc-lock';
import { MAX_LINEAGE_FILE_BYTES } from '../../../../shared/lineage/lineage-sources';
import { DomainError } from '../../../../shared/errors/domain-error';
import { emptyContribution, type SourceContribution } from './contribution';
import { kindOfFile } from './file-kind';
import { listFiles, readCapped, resolveInside, SourceError, sourceDirectory } from './source-files';

/** `dvc.lock` is small; anything near the lineage cap is not a lock file a person keeps in a repository. */
export const MAX_DVC_LOCK_BYTES = MAX_LINEAGE_FILE_BYTES;

/**
 * `--dvc <repository directory>`: the repository's `dvc.lock` is shipped as the release's lineage
 * file (read by the same importer that reads it in a bundle, so a lock file it cannot read is
 * refused here), and every stage output that exists in the work tree becomes a shipped subject
 * named by its path in the lock file, so the lineage's `path:<out>` node links to it. A directory
 * output ships every file under it. The subjects are hashed with SHA-256 by the release, like any
 * file: the md5 DVC recorded is never used as a pin. Outputs missing from the work tree (not
 * pulled) and remote outputs (`s3://...`) are listed in `environment.dvc.missingOuts`.
 */
export async function collectDvc(repoDir: string): Promise<SourceContribution> {
  const directory = await sourceDirectory(repoDir, 'The DVC repository');
  const lock = await resolveInside(directory, 'dvc.lock', 'The DVC repository');
  if (lock === null || lock.isDirectory) throw new SourceError('not-found', `${repoDir} has no dvc.lock: run the pipeline (dvc repro) first.`);
  const bytes = await readCapped(lock.absolute, MAX_DVC_LOCK_BYTES, 'dvc.lock');

  let outs: string[];
  try {
    const lineage = importDvcLock('dvc.lock', bytes, MAX_DVC_LOCK_BYTES);
    // Outputs are the nodes a stage points to.
    const targets = new Set(lineage.edges.filter((edge) => edge.from.startsWith('stage:')).map((edge) => edge.to));
    outs = lineage.nodes.filter((node) => targets.has(node.id) && node.id.startsWith('path:')).map((node) => node.name);
  } catch (error) {
    if (error instanceof DomainError) throw new SourceError('invalid-format', `dvc.lock of ${repoDir} cannot be read: ${error.message}`);
    throw error;
  }

  const contribution = emptyContribution();
  contribution.lineage.push({ fileName: 'dvc.lock', bytes });
  const missing: string[] = [];
  const names = new Set<string>();
  for (const out of [...new Set(outs)].sort()) {
    if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(out)) {
      missing.push(out);
      continue;
    }
    const found = await resolveInside(directory, out, `dvc.lock out ${JSON.stringify(out)}`);
    if (found === null) {
      missing.push(out);
      continue;
    }
    const files = found.isDirectory ? (await listFiles(found.absolute, `dvc.lock out ${found.name}`)).map((file) => `${found.name}/${file}`) : [found.name];
    for (const name of files) {
      // Two outs may overlap (a directory and a file in it): each file is shipped once.
      if (names.has(name)) continue;
      names.add(name);
      contribution.files.push({ path: path.join(directory, ...name.split('/')), name, kind: kindOfFile(name) });
    }
  }
  contribution.environment = { dvc: { lockFile: 'dvc.lock', outs: outs.length, ...(missing.length > 0 ? { missingOuts: missing } : {}) } };
  return contribution;
}
