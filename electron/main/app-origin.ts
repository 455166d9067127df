/**
 * Where the renderer lives in the Electron window: a privileged standard scheme of our own,
 * never file:// (which would give the page extra privileges and a shared origin).
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'countersign';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * The window asks the renderer to open a bundle by loading the page with this fragment:
 * `#open=<encodeURIComponent(path)>`. The renderer reads it at start and on `hashchange`.
 */
export const OPEN_ROUTE_PREFIX = '#open=';

/** The renderer's page, optionally asking it to open the bundle at `openPath`. */
export function appPageUrl(openPath: string | null): string {
  const page = `${APP_ORIGIN}/index.html`;
  return openPath === null ? page : `${page}${OPEN_ROUTE_PREFIX}${encodeURIComponent(openPath)}`;
}
