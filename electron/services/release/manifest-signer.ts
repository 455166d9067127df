import { publicKeyFromSeed, signEd25519 } from '../../../shared/crypto/ed25519';
import { keyIdOf, toOpenSshLine } from '../../../shared/crypto/keys';
import { DomainError } from '../../../shared/errors/domain-error';
import type { KeyStore } from '../keys/key-store';
import { OpenSshPassphraseError, parseOpenSshPrivateKey, inspectOpenSshPrivateKey } from '../keys/openssh-private-key';
import { readPrivateKeyFile } from '../keys/private-key-file';
import { withPassphraseBytes } from '../keys/seed-encryption';

/**
 * Whatever signs a release manifest: a key held in the profile, an OpenSSH private key file,
 * or a key held by an ssh-agent. It signs the DSSE PAE with Ed25519; `keyId` is its OpenSSH
 * fingerprint, recorded as `createdBy`.
 */
export interface ManifestSigner {
  keyId: string;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** A signer that can also offer its public key, shipped as `keys/<file>.pub` for the board to pin. */
export interface OfferedPublicKey {
  /** OpenSSH line, with a comment. */
  line: string;
  /** File name under `keys/`, e.g. `release-signer.pub`. */
  fileName: string;
}

export class SignerError extends DomainError {
  constructor(message: string) {
    super('invalid-input', message);
  }
}

/** A key of the profile, unlocked beforehand (`keys.unlock`); the key store signs and keeps the seed. */
export function profileKeySigner(keys: KeyStore, keyId: string): ManifestSigner & { publicKey: OfferedPublicKey } {
  const line = keys.exportPublic(keyId);
  return {
    keyId,
    publicKey: { line, fileName: 'release-signer.pub' },
    sign: async (message) => keys.sign(keyId, message),
  };
}

/**
 * An OpenSSH Ed25519 private key file as CI secrets hold them (`ssh-keygen -t ed25519`),
 * unprotected or with a passphrase. The seed is held until `dispose`, which zeroes it.
 */
export async function keyFileSigner(file: string, passphrase: string | undefined): Promise<ManifestSigner & { publicKey: OfferedPublicKey; dispose(): void }> {
  const bytes = await readPrivateKeyFile(file);
  try {
    const { protection } = inspectOpenSshPrivateKey(bytes);
    if (protection === 'passphrase' && (passphrase === undefined || passphrase === '')) {
      throw new SignerError(`the key file ${file} is protected by a passphrase: set COUNTERSIGN_PASSPHRASE`);
    }
    const key = await withPassphraseBytes(passphrase ?? '', async (passphraseBytes) => {
      try {
        return parseOpenSshPrivateKey(bytes, protection === 'none' ? new Uint8Array(0) : passphraseBytes);
      } catch (error) {
        if (error instanceof OpenSshPassphraseError) throw new SignerError(`wrong passphrase for the key file ${file} (${keyIdOf(error.publicKey)})`);
        throw error;
      }
    });
    const publicKey = publicKeyFromSeed(key.seed);
    const keyId = keyIdOf(publicKey);
    return {
      keyId,
      publicKey: { line: toOpenSshLine(publicKey, key.comment === '' ? undefined : key.comment), fileName: 'release-signer.pub' },
      sign: async (message) => signEd25519(message, key.seed),
      dispose: () => key.seed.fill(0),
    };
  } finally {
    bytes.fill(0);
  }
}
