import { dialog, type BrowserWindow, type FileFilter, type OpenDialogOptions } from 'electron';
import type { PickPurpose } from '../api/dispatcher';

/**
 * `.csbundle` is Countersign's own name for a zip or tar.gz of a bundle; the others are the
 * archive kinds a bundle may come as (FORMATS.md §9). `.tar.gz` matches through `gz`.
 */
const archiveFilters: FileFilter[] = [
  { name: 'Bundle archives', extensions: ['csbundle', 'tar', 'tgz', 'gz', 'zip'] },
  { name: 'All files', extensions: ['*'] },
];

/** Where sigstore-js, cosign and model_signing write their signatures; the content decides the format. */
const signatureFilters: FileFilter[] = [
  { name: 'Signatures', extensions: ['json', 'sigstore', 'bundle', 'sig'] },
  { name: 'All files', extensions: ['*'] },
];

/**
 * The native open dialog: a bundle archive or folder, a signed artifact or model folder, an
 * artifact's signature, or an OpenSSH private key file (read by the main process afterwards; the
 * page only ever sees the path). Null when cancelled.
 */
export async function pickFile(parent: BrowserWindow | null, options: { directory: boolean; purpose: PickPurpose }): Promise<string | null> {
  const dialogOptions = dialogFor(options);
  const result = parent && !parent.isDestroyed() ? await dialog.showOpenDialog(parent, dialogOptions) : await dialog.showOpenDialog(dialogOptions);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

function dialogFor({ directory, purpose }: { directory: boolean; purpose: PickPurpose }): OpenDialogOptions {
  switch (purpose) {
    case 'private-key':
      return { title: 'Import Private Key', properties: ['openFile', 'showHiddenFiles'] };
    case 'signature':
      return { title: 'Choose Its Signature', properties: ['openFile', 'showHiddenFiles'], filters: signatureFilters };
    case 'artifact':
      return directory ? { title: 'Open Model Folder', properties: ['openDirectory'] } : { title: 'Open Signed File', properties: ['openFile'] };
    case 'bundle':
      return directory ? { title: 'Open Bundle Folder', properties: ['openDirectory'] } : { title: 'Open Bundle', properties: ['openFile'], filters: archiveFilters };
  }
}
