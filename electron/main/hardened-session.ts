import { app, type Session } from 'electron';
import { APP_SCHEME } from './app-origin';

/**
 * Schemes a request may use. Everything else, http(s) and ws(s) above all, is cancelled
 * before it leaves: the app works offline and a bundle's text can never make it fetch
 * anything. data: and blob: are local, not remote, and the CSP decides where they may be used;
 * devtools: is the developer tools' own UI.
 */
const allowedRequestSchemes = new Set([`${APP_SCHEME}:`, 'devtools:', 'data:', 'blob:']);

/** No remote content and no permissions, for every page of the session. */
export function hardenSession(session: Session): void {
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = allowedRequestSchemes.has(schemeOf(details.url));
    if (!allowed) console.warn(`Blocked a request to ${details.url}: the app loads nothing from outside.`);
    callback({ cancel: !allowed });
  });
  // Camera, microphone, notifications, geolocation, clipboard reads, HID, USB, serial: none.
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/**
 * Guards on every web contents the app ever creates, including ones nobody meant to create:
 * no navigation away from the loaded page, no new windows, no <webview>.
 * In-page navigation (the `#open=` fragment) is not a navigation and stays possible.
 */
export function hardenEveryWebContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

function schemeOf(url: string): string {
  const colon = url.indexOf(':');
  return colon < 0 ? '' : url.slice(0, colon + 1).toLowerCase();
}
