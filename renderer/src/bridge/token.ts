/** Where the web host's access token is kept for this tab, so that a reload keeps working. */
export const TOKEN_STORAGE_KEY = 'countersign.token';

/**
 * Splits the access token out of a URL fragment such as `#token=abc`. The rest of the fragment is
 * returned so the token can be removed from the visible URL (and from history) without losing it.
 */
export function takeTokenFromHash(hash: string): { token: string | null; rest: string } {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  if (!params.has('token')) return { token: null, rest: hash };
  const token = params.get('token');
  params.delete('token');
  const rest = params.toString();
  return { token: token === null || token === '' ? null : token, rest: rest === '' ? '' : `#${rest}` };
}
