import { createPublicKey } from 'node:crypto';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { TrustFlagsInput } from '../../../shared/api/commands/verify-commands';
import { DomainError } from '../../../shared/errors/domain-error';
import type { TrustContext } from '../../../shared/verify/trust';
import type { CertificateAuthorityTrust, SigstoreIdentity, TrustFlags } from './format-verifier';
import { parseTrustedPublicKey, type TrustedPublicKey } from './public-keys';

const MAX_KEY_FILE_BYTES = 1024 * 1024;
const MAX_TRUST_DOCUMENT_BYTES = 16 * 1024 * 1024;

export class TrustFileError extends DomainError {
  constructor(code: 'not-found' | 'unreadable' | 'hostile-input', message: string) {
    super(code, message);
  }
}

export interface TrustOptions {
  namespace: string | null;
  links: string | null;
  ignorePaths: readonly string[];
  ignoreUnsignedFiles: boolean;
  threshold: number;
}

/** True when the caller gave any trust flag: trust then comes from the flags alone. */
export function hasTrustFlags(flags: TrustFlagsInput | undefined): boolean {
  return flags !== undefined && Object.values(flags).some((value) => (Array.isArray(value) ? value.length > 0 : value !== undefined));
}

/** Reads every trust file the flags name, each once and with a size cap; an unreadable one fails the whole request. */
export async function loadTrustFlags(flags: TrustFlagsInput, options: TrustOptions): Promise<TrustFlags> {
  const anchors: string[] = [];
  const keys: TrustedPublicKey[] = [];
  for (const path of flags.keys ?? []) {
    const text = await readTrustFile(path, MAX_KEY_FILE_BYTES, 'key file');
    keys.push(parseTrustedPublicKey(text.toString('utf8'), `--key ${path}`, basename(path), 'flag'));
    anchors.push(`--key ${path}`);
  }
  const certificateAuthorities: CertificateAuthorityTrust[] = [];
  for (const path of flags.ca ?? []) {
    certificateAuthorities.push({ path, pem: (await readTrustFile(path, MAX_KEY_FILE_BYTES, 'certificate authority')).toString('utf8'), identity: null });
    anchors.push(`--ca ${path}`);
  }
  const trustedRoot = flags.trustedRoot !== undefined ? { path: flags.trustedRoot, bytes: new Uint8Array(await readTrustFile(flags.trustedRoot, MAX_TRUST_DOCUMENT_BYTES, 'trusted root')) } : null;
  if (trustedRoot) anchors.push(`--trusted-root ${trustedRoot.path}`);
  const allowedSigners = flags.allowedSigners !== undefined ? { path: flags.allowedSigners, text: (await readTrustFile(flags.allowedSigners, MAX_TRUST_DOCUMENT_BYTES, 'allowed signers file')).toString('utf8') } : null;
  if (allowedSigners) anchors.push(`--allowed-signers ${allowedSigners.path}`);
  const layout = flags.layout !== undefined ? { path: flags.layout, bytes: new Uint8Array(await readTrustFile(flags.layout, MAX_TRUST_DOCUMENT_BYTES, 'layout')) } : null;
  if (layout) anchors.push(`--layout ${layout.path}`);
  if (flags.certificateIdentity !== undefined) anchors.push(`--certificate-identity ${flags.certificateIdentity}`);
  if (flags.certificateOidcIssuer !== undefined) anchors.push(`--certificate-oidc-issuer ${flags.certificateOidcIssuer}`);
  if (flags.principal !== undefined) anchors.push(`--principal ${flags.principal}`);
  return {
    keys,
    certificateAuthorities,
    trustedRoot,
    sigstoreIdentities:
      flags.certificateIdentity !== undefined && flags.certificateOidcIssuer !== undefined
        ? [{ identity: flags.certificateIdentity, issuer: flags.certificateOidcIssuer, name: null }]
        : [],
    allowedSigners,
    principal: flags.principal ?? null,
    namespace: options.namespace,
    layout,
    linksDirectory: options.links,
    ignorePaths: options.ignorePaths,
    ignoreUnsignedFiles: options.ignoreUnsignedFiles,
    threshold: options.threshold,
    anchors,
    source: 'flags',
  };
}

/**
 * No trust flag: the profile's (or board file's) trusted, unrevoked Ed25519 keys; the producers'
 * other keys (EC, RSA), X.509 roots with their identity constraint and keyless identities; and
 * the board's trusted root when its pinned bytes are held. A revoked key never counts, and a
 * producer key that cannot be read is left out (the trust view names it).
 */
export function trustFromProfile(context: TrustContext, options: TrustOptions): TrustFlags {
  const edKeys: TrustedPublicKey[] = context.keys
    .filter((key) => !context.revokedKeyIds.has(key.keyId))
    .map((key) => ({
      keyId: key.keyId,
      algorithm: 'ed25519',
      keyObject: createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(key.publicKey).toString('base64url') }, format: 'jwk' }),
      ed25519: key.verifyingKey,
      name: key.name,
      source: key.source,
    }));
  const producerKeys = context.producerAnchors.flatMap((producer) =>
    producer.keys.flatMap(({ text, location }) => {
      try {
        return [parseTrustedPublicKey(text, location, producer.name, 'producer')];
      } catch {
        return [];
      }
    }),
  );
  const keys = [...edKeys, ...producerKeys.filter((key) => !context.revokedKeyIds.has(key.keyId) && !edKeys.some((held) => held.keyId === key.keyId))];
  const certificateAuthorities: CertificateAuthorityTrust[] = context.producerAnchors.flatMap((producer) =>
    producer.certificateAuthorities.map(({ pem, identity }) => ({ path: 'board policy', pem, identity, source: 'producer' as const })),
  );
  const sigstoreIdentities: SigstoreIdentity[] = context.producerAnchors.flatMap((producer) => producer.sigstore.map(({ identity, issuer }) => ({ identity, issuer, name: producer.name })));
  const root = context.sigstoreTrustedRoot;
  return {
    keys,
    certificateAuthorities,
    trustedRoot: root?.bytes ? { path: `board trusted root sha256:${root.sha256}`, bytes: root.bytes } : null,
    sigstoreIdentities,
    allowedSigners: null,
    principal: null,
    namespace: options.namespace,
    layout: null,
    linksDirectory: options.links,
    ignorePaths: options.ignorePaths,
    ignoreUnsignedFiles: options.ignoreUnsignedFiles,
    threshold: options.threshold,
    anchors: [],
    source: context.source === 'board-file' ? 'board-file' : 'store',
  };
}

/** Reads a whole file given by the person, refusing one larger than `cap` before reading it. */
export async function readTrustFile(path: string, cap: number, what: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TrustFileError(code === 'ENOENT' ? 'not-found' : 'unreadable', `The ${what} ${path} cannot be read: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}.`);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new TrustFileError('unreadable', `The ${what} ${path} is not a regular file.`);
    if (stat.size > cap) throw new TrustFileError('hostile-input', `The ${what} ${path} is ${stat.size} bytes, more than the ${cap} accepted.`);
    const buffer = Buffer.alloc(stat.size);
    const { bytesRead } = await handle.read(buffer, 0, stat.size, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
