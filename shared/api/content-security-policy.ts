/**
 * The one Content-Security-Policy of the UI, sent by both hosts (the Electron `app://` handler
 * and the loopback web host). No remote origin anywhere: the app works offline and a malicious
 * bundle's text can never load or run anything. Inline styles are allowed for React Flow's
 * positioning; inline scripts never are.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
