import { createContext, useContext } from 'react';
import type { CommandOutput } from '../../../shared/api/contract';

export type View = 'home' | 'bundle' | 'trust' | 'keys' | 'audit' | 'board' | 'lineage' | 'deployment';

export type AppInfo = CommandOutput<'app.info'>;

/** What any screen may ask of the app shell. */
export interface AppShell {
  info: AppInfo;
  /**
   * Opens the bundle view on `path` and (re)verifies it: a bundle, a model folder holding an OMS
   * signature, or a file with its signature beside it or given as `signature`.
   */
  openBundle(path: string, signature?: string): void;
  showView(view: View): void;
  /** Opens the native file (or folder) dialog and then what was picked; `artifact` titles it for signed files and model folders. Only where info.nativeDialogs. */
  pickBundle(directory: boolean, purpose?: 'bundle' | 'artifact'): void;
  picking: boolean;
  /** Call after pinning, unpinning or importing a board policy: trust lists refresh and the open bundle is verified again. */
  trustChanged(): void;
}

export const AppShellContext = createContext<AppShell | null>(null);

export function useAppShell(): AppShell {
  const shell = useContext(AppShellContext);
  if (shell === null) throw new Error('useAppShell needs the AppShellContext provider above it');
  return shell;
}
