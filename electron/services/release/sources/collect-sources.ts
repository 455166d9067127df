import type { SourceContribution } from './contribution';
import { collectDvc } from './dvc';
import { collectGit } from './git';
import { probeHardware } from './hardware';
import { collectMlflow } from './mlflow';
import { SourceError } from './source-files';

/** The source flags of `release create`, as given (paths relative to the working directory or absolute). */
export interface SourceOptions {
  git?: string | undefined;
  allowDirty?: boolean | undefined;
  mlflow?: string | undefined;
  dvc?: string | undefined;
  hardware?: 'auto' | undefined;
}

/**
 * Each source the flags name, read in flag order (git, MLflow, DVC, hardware), one contribution
 * each. `--allow-dirty` without `--git` is a usage error: it would record nothing.
 */
export async function collectSources(options: SourceOptions): Promise<SourceContribution[]> {
  if (options.allowDirty === true && options.git === undefined) throw new SourceError('invalid-input', '--allow-dirty applies to --git <repository directory>, which is not given.');
  const contributions: SourceContribution[] = [];
  if (options.git !== undefined) contributions.push(await collectGit({ repoDir: options.git, allowDirty: options.allowDirty === true }));
  if (options.mlflow !== undefined) contributions.push(await collectMlflow(options.mlflow));
  if (options.dvc !== undefined) contributions.push(await collectDvc(options.dvc));
  if (options.hardware === 'auto') contributions.push(await probeHardware());
  return contributions;
}
