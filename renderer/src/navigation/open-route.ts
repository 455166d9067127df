/**
 * The "open this bundle" route: `#open=<encodeURIComponent(path)>`. The Electron host navigates
 * to it for a command-line argument, a second launch, a file association and File > Open; the
 * web host's `serve --bundle` puts it in the URL it prints. Returns the path and the fragment
 * without the route, so it can be removed from the visible URL once handled.
 */
export function takeOpenRequest(hash: string): { path: string | null; rest: string } {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const path = params.get('open');
  if (path === null) return { path: null, rest: hash };
  params.delete('open');
  const rest = params.toString();
  return { path: path === '' ? null : path, rest: rest === '' ? '' : `#${rest}` };
}
