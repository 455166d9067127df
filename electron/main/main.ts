// The Electron host: one hardened window on the app:// origin, the handler table behind IPC,
// menus and native dialogs. It decides nothing about bundles: every command goes to the same
// dispatcher the web host and the CLI use.
import fs from 'node:fs';
import { app, BrowserWindow, dialog, Menu, session } from 'electron';
import { commands, type EventName, type EventPayload } from '../../shared/api/contract';
import { createDispatcher, type Dispatcher } from '../api/dispatcher';
import { serveApiOverIpc } from './api-over-ipc';
import { buildAppMenu } from './app-menu';
import { resolveAppLocations } from './app-locations';
import { registerAppScheme, serveRendererFiles } from './app-protocol';
import { pickFile } from './bundle-dialog';
import { hardenEveryWebContents, hardenSession } from './hardened-session';
import { EVENT_CHANNEL } from './ipc-channels';
import { bundlePathFromArgv, readSecondInstanceData, type SecondInstanceData } from './launch-arguments';
import { createMainWindow, openBundleInWindow } from './main-window';

// Both must happen before the app is ready.
registerAppScheme();
app.enableSandbox();

const runningFromCheckout = process.defaultApp === true;
const launchBundle = bundlePathFromArgv(process.argv, { defaultApp: runningFromCheckout, cwd: process.cwd() });

// One instance per profile: a second launch hands its bundle to the first and exits.
const lockData: SecondInstanceData = { bundlePath: launchBundle };
if (app.requestSingleInstanceLock({ ...lockData })) {
  runApp(launchBundle);
} else {
  app.quit();
}

function runApp(initialBundle: string | null): void {
  const locations = resolveAppLocations();
  let mainWindow: BrowserWindow | null = null;
  let dispatcher: Dispatcher | null = null;
  // A bundle asked for before there is a window to show it (macOS open-file comes early).
  let pendingBundle = initialBundle;

  hardenEveryWebContents();

  const liveWindow = (): BrowserWindow | null => (mainWindow && !mainWindow.isDestroyed() ? mainWindow : null);

  function openBundle(bundlePath: string): void {
    const window = liveWindow();
    if (window) return openBundleInWindow(window, bundlePath);
    pendingBundle = bundlePath;
    // After start-up with no window (macOS keeps running when it is closed): open one for it.
    if (dispatcher) showWindow();
  }

  async function pickAndOpen(directory: boolean): Promise<void> {
    const picked = await pickFile(liveWindow(), { directory, purpose: 'bundle' });
    if (picked !== null) openBundle(picked);
  }

  async function refreshMenu(): Promise<void> {
    const recent = dispatcher ? await dispatcher.dispatch('bundle.recent', {}) : null;
    const parsed = recent?.ok ? commands['bundle.recent'].output.safeParse(recent.value) : null;
    Menu.setApplicationMenu(
      buildAppMenu({
        recent: parsed?.success ? parsed.data.map((bundle) => bundle.path) : [],
        developerItems: !app.isPackaged,
        actions: {
          openBundle: () => void pickAndOpen(false).catch(reportError),
          openFolder: () => void pickAndOpen(true).catch(reportError),
          openRecent: openBundle,
        },
      }),
    );
  }

  function showWindow(): void {
    mainWindow = createMainWindow({ preloadScript: locations.preloadScript, openPath: pendingBundle, allowDevTools: !app.isPackaged });
    pendingBundle = null;
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  }

  function emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    liveWindow()?.webContents.send(EVENT_CHANNEL, event, payload);
  }

  function start(): void {
    hardenSession(session.defaultSession);
    serveRendererFiles(locations.rendererRoot);

    if (!fs.existsSync(locations.sqliteNativeBinding)) {
      fail(
        `The SQLite module built for Electron is missing (${locations.sqliteNativeBinding}). ` +
          (app.isPackaged ? 'Reinstall Countersign.' : 'Run `npm run native:electron`, or start with `npm start`, which builds it.'),
      );
      return;
    }
    try {
      dispatcher = createDispatcher({
        dataDir: locations.dataDir,
        demoBundlePath: locations.demoBundlePath,
        sqliteNativeBinding: locations.sqliteNativeBinding,
        hooks: { host: 'electron', emit, pickFile: (options) => pickFile(liveWindow(), options) },
      });
    } catch (error) {
      fail(`The profile in ${locations.dataDir} could not be opened: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }

    serveApiOverIpc({
      dispatcher,
      mainWindow: liveWindow,
      onBundleOpened: (bundlePath) => {
        app.addRecentDocument(bundlePath);
        refreshMenu().catch(reportError);
      },
    });
    app.setAboutPanelOptions({
      applicationName: 'Countersign',
      applicationVersion: app.getVersion(),
      copyright: 'Apache License 2.0',
    });
    refreshMenu().catch(reportError);
    showWindow();
  }

  app.on('second-instance', (_event, argv, workingDirectory, additionalData) => {
    const bundlePath =
      readSecondInstanceData(additionalData).bundlePath ?? bundlePathFromArgv(argv, { defaultApp: runningFromCheckout, cwd: workingDirectory });
    const window = liveWindow();
    if (bundlePath !== null) openBundle(bundlePath);
    else if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    } else if (dispatcher) showWindow();
  });

  // macOS: a file association, a dropped file on the Dock icon, or Open Recent from the Dock.
  app.on('open-file', (event, filePath) => {
    event.preventDefault();
    openBundle(filePath);
  });

  app.on('activate', () => {
    if (dispatcher && liveWindow() === null) showWindow();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // The database and hash workers close before the process ends.
  app.on('will-quit', (event) => {
    const closing = dispatcher;
    if (closing === null) return;
    dispatcher = null;
    event.preventDefault();
    closing
      .close()
      .catch(reportError)
      .finally(() => app.quit());
  });

  app.whenReady().then(start, (error: unknown) => fail(String(error)));
}

function fail(message: string): void {
  console.error(message);
  dialog.showErrorBox('Countersign cannot start', message);
  app.exit(1);
}

function reportError(error: unknown): void {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
}
