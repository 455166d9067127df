import { lstat, open, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { DomainError } from '../../../shared/errors/domain-error';
import { detectSignatureFormat, MAX_DETECTED_JSON_BYTES, type ForeignFormat } from '../../../shared/verify/foreign/detect-format';
import { FORMAT_NAMES } from '../../../shared/verify/foreign/foreign-report';
import { formatFromMagic, formatFromName } from '../bundle/archive-format';
import { readTrustFile } from '../foreign/load-trust-flags';
import { SessionError } from './session-error';

/** What a foreign session verifies: the target as given, and the signature read once when it opened. */
export interface ForeignTarget {
  format: ForeignFormat;
  target: { path: string; kind: 'file' | 'directory' };
  signature: { path: string; bytes: Uint8Array };
}

/** The signature an OMS model directory holds (model_signing's default name). */
export const OMS_SIGNATURE_NAME = 'model.sig';
/** Where sigstore-js, cosign and sigstore-python put a bundle beside the artifact, in the order tried. */
export const SIGSTORE_BUNDLE_SUFFIXES = ['.sigstore.json', '.sigstore', '.bundle'] as const;
/** A directory holding this is a Countersign bundle, whatever else it holds. */
const BUNDLE_MANIFEST = 'manifest.dsse.json';

/**
 * Formats the app verifies under the profile's trust alone. An SSH signature needs a namespace and
 * in-toto a layout, which the person gives on the command line.
 */
const OPENABLE: ReadonlySet<ForeignFormat> = new Set(['oms', 'sigstore', 'dsse']);

/** A `signature-needed` refusal: the file has no signature beside it, and the person may choose one. */
export const SIGNATURE_NEEDED = 'signature-needed';

/**
 * Decides whether `path` is a foreign target, and finds its signature. Names only locate the
 * candidate signature (`model.sig` in a directory, `<file>.sigstore.json` beside a file); the
 * format is decided from its content. Null means "not foreign": a Countersign bundle (a directory
 * with a manifest, or an archive), which the bundle reader opens and judges as before.
 */
export async function locateForeignTarget(path: string, explicitSignature: string | null): Promise<ForeignTarget | null> {
  const targetPath = resolve(path);
  const kind = await kindOf(targetPath, stat);
  if (explicitSignature !== null) {
    if (kind === null) throw new SessionError('not-found', `${path} cannot be read: no such file or directory.`);
    if (kind === 'other') throw new DomainError('unreadable', `${path} is neither a file nor a directory.`);
    return readForeign({ path: targetPath, kind }, resolve(explicitSignature), `The signature ${explicitSignature}`);
  }
  if (kind === 'directory') {
    if ((await kindOf(join(targetPath, BUNDLE_MANIFEST))) !== null) return null;
    const signaturePath = join(targetPath, OMS_SIGNATURE_NAME);
    const signatureKind = await kindOf(signaturePath);
    if (signatureKind === null) return null;
    if (signatureKind !== 'file') throw new DomainError('hostile-input', `${OMS_SIGNATURE_NAME} in ${basename(targetPath)} is not a regular file (a link or a folder): it is not read.`);
    const found = await readForeign({ path: targetPath, kind }, signaturePath, `${OMS_SIGNATURE_NAME} in ${basename(targetPath)}`);
    if (found.format !== 'oms') {
      throw new DomainError('invalid-format', `${OMS_SIGNATURE_NAME} in ${basename(targetPath)} holds ${FORMAT_NAMES[found.format]}, not an OpenSSF Model Signing signature over the directory.`);
    }
    return found;
  }
  if (kind !== 'file' || (await isArchive(targetPath))) return null;
  for (const suffix of SIGSTORE_BUNDLE_SUFFIXES) {
    const signaturePath = `${targetPath}${suffix}`;
    if ((await kindOf(signaturePath)) === 'file') return readForeign({ path: targetPath, kind }, signaturePath, basename(signaturePath));
  }
  throw new SessionError(
    'not-found',
    `${basename(targetPath)} is neither a bundle nor a file with its signature beside it (${SIGSTORE_BUNDLE_SUFFIXES.map((suffix) => basename(targetPath) + suffix).join(', ')}): choose its signature.`,
    SIGNATURE_NEEDED,
  );
}

async function readForeign(target: ForeignTarget['target'], signaturePath: string, what: string): Promise<ForeignTarget> {
  if (signaturePath === target.path) throw new DomainError('invalid-input', `${what} is the target itself: choose the signature that goes with it.`);
  const bytes = new Uint8Array(await readTrustFile(signaturePath, MAX_DETECTED_JSON_BYTES, 'signature'));
  const detected = detectSignatureFormat(bytes);
  if (detected.format === null) throw new DomainError('invalid-format', `${what} is not a signature Countersign recognises: ${detected.reason}.`);
  if (!OPENABLE.has(detected.format)) {
    throw new SessionError(
      'unsupported',
      `${what} is ${FORMAT_NAMES[detected.format]}: the app opens OpenSSF Model Signing signatures, Sigstore bundles and DSSE envelopes; verify it with \`countersign verify\` and its trust flags.`,
    );
  }
  return { format: detected.format, target, signature: { path: signaturePath, bytes } };
}

/** What is at `path`; candidates are looked at with lstat, so a link is never taken for a signature. */
async function kindOf(path: string, look: typeof lstat = lstat): Promise<'file' | 'directory' | 'other' | null> {
  const stats = await look(path).catch(() => null);
  if (stats === null) return null;
  return stats.isDirectory() ? 'directory' : stats.isFile() ? 'file' : 'other';
}

/**
 * An archive by its first bytes or its name: the bundle reader opens it, and says what is wrong
 * when the two disagree (a damaged .tar is reported as such, not as a file missing its signature).
 */
async function isArchive(path: string): Promise<boolean> {
  if (formatFromName(basename(path)) !== null || basename(path).toLowerCase().endsWith('.csbundle')) return true;
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(512);
    await handle.read(head, 0, head.length, 0);
    return formatFromMagic(head) !== null;
  } finally {
    await handle.close();
  }
}
