import type { VerifyingKey } from '../crypto/ed25519';
import { parsePublicKey } from '../crypto/keys';
import { sha256Hex } from '../crypto/hash';
import type { BoardPolicy, ProducerCertificateAuthority, ProducerSigstoreIdentity } from '../formats/board-policy';
import type { Finding, TrustSource } from './report';

/** A public key a verifier may accept signatures from, and whose it is. */
export interface TrustedKey {
  keyId: string;
  publicKey: Uint8Array;
  /** Checked once, when the key entered trust; every signature is verified with it. */
  verifyingKey: VerifyingKey;
  name: string;
  source: TrustSource;
}

/**
 * Who is trusted to sign, decided locally: the board policy's members and producers, plus keys a
 * person pinned on this machine. Never taken from a bundle.
 */
export interface TrustContext {
  /** flags: trust given on the command line alone (foreign signatures); no board, nothing pinned. */
  source: 'board-file' | 'store' | 'flags';
  boardName: string | null;
  keys: readonly TrustedKey[];
  /** Key IDs the board revoked: a signature under one of them never counts. */
  revokedKeyIds: ReadonlySet<string>;
  /** Problems met while building the context (an unreadable key in the policy, ...). */
  findings: readonly Finding[];
  /**
   * What producers are trusted through for foreign signatures (attestations in a bundle), beyond
   * the Ed25519 keys in `keys`: other public keys as written (parsed on the host), X.509 roots
   * each constrained to one identity, and keyless identities.
   */
  producerAnchors: readonly ProducerAnchors[];
  /** The board's pinned Sigstore trusted root; `bytes` only when bytes of exactly that digest are held here. */
  sigstoreTrustedRoot: { sha256: string; bytes: Uint8Array | null } | null;
}

export interface ProducerAnchors {
  name: string;
  /** Public keys that are not Ed25519 (EC P-256/384/521, RSA), as the policy writes them, with where. */
  keys: readonly { text: string; location: string }[];
  certificateAuthorities: readonly ProducerCertificateAuthority[];
  sigstore: readonly ProducerSigstoreIdentity[];
}

export interface PinnedPublicKey {
  keyId: string;
  name: string;
  publicKey: string;
}

/** Builds the trust context from a board policy and pinned keys; a key listed twice is kept once, board roles first. */
export function buildTrustContext(options: {
  source: TrustContext['source'];
  board: BoardPolicy | null;
  pinned?: readonly PinnedPublicKey[];
  /** The trusted root's bytes held in the profile; used only when their sha256 is the one the policy pins. */
  sigstoreTrustedRoot?: Uint8Array | null;
  /**
   * Reads a producer key that is not Ed25519 (EC, RSA) as the host will, throwing when it cannot:
   * such a key is then left out with the same warning as an unreadable Ed25519 key. Only the
   * host can parse these keys; without it they are passed on unread.
   */
  readOtherKey?: (text: string) => void;
}): TrustContext {
  const keys = new Map<string, TrustedKey>();
  const findings: Finding[] = [];

  const add = (text: string, name: string, source: TrustSource, location: string) => {
    try {
      const key = parsePublicKey(text);
      if (!keys.has(key.keyId)) keys.set(key.keyId, { keyId: key.keyId, publicKey: key.publicKey, verifyingKey: key.verifyingKey, name, source });
    } catch (error) {
      findings.push({ severity: 'warning', code: 'trust-key-unreadable', message: `The key of ${name} cannot be used: ${messageOf(error)}`, location });
    }
  };

  const readableOtherKey = (text: string, name: string, location: string): boolean => {
    try {
      options.readOtherKey?.(text);
      return true;
    } catch (error) {
      findings.push({ severity: 'warning', code: 'trust-key-unreadable', message: `The key of ${name} cannot be used: ${messageOf(error)}`, location });
      return false;
    }
  };

  const board = options.board;
  board?.members.forEach((member, m) => member.keys.forEach((text, k) => add(text, member.name, 'member', `board.members[${m}].keys[${k}]`)));
  const producerAnchors: ProducerAnchors[] = [];
  board?.producers.forEach((producer, p) => {
    const otherKeys: { text: string; location: string }[] = [];
    producer.keys.forEach((text, k) => {
      const location = `board.producers[${p}].keys[${k}]`;
      if (!isOtherKeyType(text)) add(text, producer.name, 'producer', location);
      else if (readableOtherKey(text, producer.name, location)) otherKeys.push({ text, location });
    });
    producerAnchors.push({ name: producer.name, keys: otherKeys, certificateAuthorities: producer.certificateAuthorities ?? [], sigstore: producer.sigstore ?? [] });
  });
  options.pinned?.forEach((pinned) => add(pinned.publicKey, pinned.name, 'pinned', `pinned key ${pinned.keyId}`));

  return {
    source: options.source,
    boardName: board?.board ?? null,
    keys: [...keys.values()],
    revokedKeyIds: new Set(board?.revokedKeys ?? []),
    findings,
    producerAnchors,
    sigstoreTrustedRoot: trustedRootOf(board, options.sigstoreTrustedRoot ?? null),
  };
}

function trustedRootOf(board: BoardPolicy | null, bytes: Uint8Array | null): TrustContext['sigstoreTrustedRoot'] {
  const pin = board?.sigstoreTrustedRoot;
  if (pin === undefined) return null;
  return { sha256: pin.sha256, bytes: bytes !== null && sha256Hex(bytes) === pin.sha256 ? bytes : null };
}

/**
 * A producer key the Ed25519 reader does not take but the host's foreign verifiers do: a PEM
 * SubjectPublicKeyInfo that is not Ed25519, or an OpenSSH ECDSA or RSA line.
 */
function isOtherKeyType(text: string): boolean {
  const trimmed = text.trim();
  if (/^(ecdsa-sha2-nistp(256|384|521)|ssh-rsa) /.test(trimmed)) return true;
  if (!trimmed.startsWith('-----BEGIN PUBLIC KEY-----')) return false;
  try {
    parsePublicKey(trimmed);
    return false;
  } catch {
    return true;
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
