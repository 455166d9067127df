import { dialog, type BrowserWindow, type FileFilter, type OpenDialogOptions } from 'electron';

/**
 * `.csbundle` is Countersign's own name for a zip or tar.gz of a bundle; the others are the
 * archive kinds a bundle may come as (FORMATS.md §9). `.tar.gz` matches through `gz`.
 */
const archiveFilters: FileFilter[] = [
  { name: 'Bundle archives', extensions: ['csbundle', 'tar', 'tgz', 'gz', 'zip'] },
  { name: 'All files', extensions: ['*'] },
];

/**
 * The native open dialog: a bundle archive or folder, or an OpenSSH private key file (read by
 * the main process afterwards; the page only ever sees the path). Null when cancelled.
 */
export async function pickFile(parent: BrowserWindow | null, options: { directory: boolean; purpose: 'bundle' | 'private-key' }): Promise<string | null> {
  const dialogOptions: OpenDialogOptions =
    options.purpose === 'private-key'
      ? { title: 'Import Private Key', properties: ['openFile', 'showHiddenFiles'] }
      : options.directory
        ? { title: 'Open Bundle Folder', properties: ['openDirectory'] }
        : { title: 'Open Bundle', properties: ['openFile'], filters: archiveFilters };
  const result = parent && !parent.isDestroyed() ? await dialog.showOpenDialog(parent, dialogOptions) : await dialog.showOpenDialog(dialogOptions);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}
