import { BrowserWindow } from 'electron';
import { appPageUrl } from './app-origin';

export interface MainWindowOptions {
  preloadScript: string;
  /** A bundle to open as soon as the page loads. */
  openPath: string | null;
  /** Developer tools are available only when running from a checkout. */
  allowDevTools: boolean;
}

/**
 * The one window. Every web preference that widens what the page can do is off and stated
 * explicitly, so that a change of Electron's defaults cannot loosen it silently. The page
 * reaches the Node side only through the preload's `invoke` and `on`.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 800,
    minHeight: 560,
    title: 'Countersign',
    show: false,
    webPreferences: {
      preload: options.preloadScript,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      // Middle-click would otherwise ask for a new window; the window-open handler denies it
      // anyway, this stops the request being made.
      disableBlinkFeatures: 'Auxclick',
      safeDialogs: true,
      devTools: options.allowDevTools,
    },
  });
  window.once('ready-to-show', () => window.show());
  loadPage(window, appPageUrl(options.openPath));
  return window;
}

/** Asks the page to open a bundle: an in-page change of the `#open=` fragment, not a reload. */
export function openBundleInWindow(window: BrowserWindow, bundlePath: string): void {
  loadPage(window, appPageUrl(bundlePath));
  if (window.isMinimized()) window.restore();
  window.focus();
}

function loadPage(window: BrowserWindow, url: string): void {
  window.loadURL(url).catch((error: unknown) => console.error(`Could not load ${url}: ${error instanceof Error ? error.message : String(error)}`));
}
