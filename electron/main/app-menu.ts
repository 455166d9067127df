import path from 'node:path';
import { Menu, type MenuItemConstructorOptions } from 'electron';

export interface AppMenuActions {
  openBundle(): void;
  openFolder(): void;
  openRecent(bundlePath: string): void;
}

export interface AppMenuOptions {
  /** Recently opened bundles, newest first. */
  recent: readonly string[];
  /** Reload and developer tools appear only when running from a checkout. */
  developerItems: boolean;
  actions: AppMenuActions;
}

const RECENT_ITEMS = 10;

/** The application menu: File, Edit, View and Help (plus the app menu on macOS). */
export function buildAppMenu(options: AppMenuOptions): Menu {
  const isMac = process.platform === 'darwin';
  const { actions } = options;

  const recentItems: MenuItemConstructorOptions[] =
    options.recent.length === 0
      ? [{ label: 'No Recent Bundles', enabled: false }]
      : options.recent.slice(0, RECENT_ITEMS).map((bundlePath) => ({
          label: `${path.basename(bundlePath)}  —  ${path.dirname(bundlePath)}`,
          click: () => actions.openRecent(bundlePath),
        }));

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'Open Bundle…', accelerator: 'CmdOrCtrl+O', click: () => actions.openBundle() },
      { label: 'Open Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: () => actions.openFolder() },
      { label: 'Open Recent', submenu: recentItems },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...(options.developerItems
        ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] satisfies MenuItemConstructorOptions[])
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };

  const help: MenuItemConstructorOptions = { role: 'help', submenu: [{ role: 'about', label: 'About Countersign' }] };

  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } satisfies MenuItemConstructorOptions] : []),
    file,
    { role: 'editMenu' },
    view,
    ...(isMac ? [{ role: 'windowMenu' } satisfies MenuItemConstructorOptions] : []),
    help,
  ];
  return Menu.buildFromTemplate(template);
}
