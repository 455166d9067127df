/**
 * What a person reads when something fails: what happened and what to do, in words. Host
 * messages are already written for people, but they may quote a field by its name in the file
 * (`expiresAt`, `$.artifacts[0].digest`) or the transport may fail under them (`Failed to
 * fetch`, an HTTP status, a stack trace); these become plain words here, in one place, for
 * every error the app shows.
 */

/** Field names of the formats, as words. A name not listed is split at its capitals. */
const FIELD_WORDS: Readonly<Record<string, string>> = {
  expiresAt: 'expiry time',
  reviewedAt: 'review time',
  createdAt: 'creation time',
  createdBy: 'author key',
  manifestDigest: 'manifest digest',
  payloadType: 'content type',
  payload: 'signed content',
  signatures: 'signatures',
  keyid: 'key ID',
  sig: 'signature',
  sha256: 'SHA-256 digest',
  predicateType: 'statement type',
  predicate: 'release details',
  subject: 'subjects',
  approvalsRequired: 'approvals required',
  rolesRequired: 'role seats',
  authorMayApprove: 'whether the author may approve',
  rejectionBlocks: 'whether a rejection blocks',
  maxApprovalAgeDays: 'the longest an approval counts',
  revokedKeys: 'revoked keys',
  confirmDigest: 'confirmed digest',
  confirmKeyId: 'confirmed fingerprint',
};

export function fieldWords(name: string): string {
  if (Object.hasOwn(FIELD_WORDS, name)) return FIELD_WORDS[name]!;
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
}

/** A JSON path as words: `$.artifacts[0].digest` → "artifacts, item 1, digest"; `$` → "the top level". */
export function pathWords(path: string): string {
  const parts = [...path.matchAll(/\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)].map(([, name, index, quoted]) =>
    index !== undefined ? `item ${Number(index) + 1}` : fieldWords(name ?? quoted ?? ''),
  );
  return parts.length === 0 ? 'the top level' : parts.join(', ');
}

/** A JSON path as the format readers write it (`$`, `$.a[0].b`), not a dollar amount. */
const JSON_PATH = /(?<![\w$])\$(?:\.[A-Za-z_$][\w$-]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])*(?![\w$])/g;
/** A field name quoted in backticks or standing alone as a known camelCase name. */
const KNOWN_FIELD = new RegExp(`\`(${Object.keys(FIELD_WORDS).join('|')})\`|\\b(${Object.keys(FIELD_WORDS).filter((name) => /[A-Z]/.test(name)).join('|')})\\b`, 'g');

/** A host message with its field names and JSON paths said in words. */
export function plainMessage(message: string): string {
  return message
    .replace(JSON_PATH, (path) => `(${pathWords(path)})`)
    .replace(KNOWN_FIELD, (_match, quoted: string | undefined, bare: string | undefined) => fieldWords(quoted ?? bare ?? ''))
    .replace(/\bDSSE envelopes?\b/g, (found) => (found.endsWith('s') ? 'signed files' : 'signed file'))
    .replace(/\bDSSE\b/g, 'signed');
}

const RESTART = 'start it again with `npm start` (or `countersign serve`) and open the new link it prints';

/** What failed under the app rather than in it: the server gone, the page's access expired, a broken answer. */
export function transportWords(message: string): string | null {
  if (/failed to fetch|networkerror|load failed|could not reach the countersign host|ECONNREFUSED/i.test(message)) {
    return `The Countersign server has stopped, so nothing can be read or saved: ${RESTART}.`;
  }
  const status = /answered with HTTP (\d{3}) and no result/.exec(message)?.[1];
  if (status === '401') {
    return `This page's access has ended: the Countersign server was restarted since the page was opened, and each run has its own link. Open the link the server printed when it started.`;
  }
  if (status === '403') return 'The Countersign server refused this page: open it from the link the server printed, not from another address.';
  if (status !== undefined) return `The Countersign server answered with an error (HTTP ${status}) and no result. Try again; if it keeps happening, ${RESTART}.`;
  return null;
}

/** Exceptions that are the app's own mistake, not a message written for a person. */
const PROGRAMMING_ERRORS = new Set(['TypeError', 'ReferenceError', 'SyntaxError', 'RangeError', 'EvalError', 'URIError']);

/** Any error as what happened and what to do, never a stack trace. */
export function plainError(error: unknown): string {
  const raw = error instanceof Error ? error.message : typeof error === 'string' ? error : String(error);
  const transport = transportWords(raw);
  if (transport !== null) return transport;
  const message = withoutStack(raw);
  const internal = /^Internal error: /.exec(message);
  if (internal !== null || (error instanceof Error && PROGRAMMING_ERRORS.has(error.name)) || message !== raw.trim()) {
    const what = plainMessage(message.slice(internal?.[0].length ?? 0)) || 'no reason given';
    return `Something went wrong inside Countersign (${what}). Try again; if it happens again, ${RESTART}.`;
  }
  return plainMessage(message);
}

/** The message without the stack lines an exception may carry (`    at f (file.js:1:2)`). */
function withoutStack(message: string): string {
  const lines = message.split('\n');
  const kept = lines.filter((line) => !/^\s+at\s/.test(line));
  return kept.join('\n').trim();
}
