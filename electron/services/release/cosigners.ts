import { publicKeyFromSeed, signEd25519 } from '../../../shared/crypto/ed25519';
import { keyIdOf } from '../../../shared/crypto/keys';
import { DomainError } from '../../../shared/errors/domain-error';
import type { KeyStore } from '../keys/key-store';
import { inspectOpenSshPrivateKey, OpenSshPassphraseError, parseOpenSshPrivateKey } from '../keys/openssh-private-key';
import { readPrivateKeyFile } from '../keys/private-key-file';
import { withPassphraseBytes } from '../keys/seed-encryption';
import { sshAgentSigner, type AsyncSigner } from '../keys/ssh-agent';

/** Who adds a signature to a release manifest: a profile key (unlocked first), an OpenSSH key file, or an ssh-agent key. */
export type CosignerRequest = { kind: 'profile'; keyId: string } | { kind: 'key-file'; path: string; passphrase?: string | undefined } | { kind: 'ssh-agent'; keyId: string };

export class CosignerError extends DomainError {
  constructor(message: string) {
    super('invalid-input', message);
  }
}

/** The async signer a request names; `dispose` zeroes any key material it holds. */
export async function openCosigner(request: CosignerRequest, keys: () => KeyStore): Promise<AsyncSigner & { dispose(): void }> {
  switch (request.kind) {
    case 'profile': {
      const store = keys();
      return { keyId: request.keyId, sign: async (message) => store.sign(request.keyId, message), dispose: () => {} };
    }
    case 'ssh-agent':
      return { ...(await sshAgentSigner(request.keyId)), dispose: () => {} };
    case 'key-file':
      return keyFileCosigner(request.path, request.passphrase);
  }
}

/** An OpenSSH Ed25519 private key file, unprotected or with a passphrase; the seed is zeroed on dispose. */
async function keyFileCosigner(file: string, passphrase: string | undefined): Promise<AsyncSigner & { dispose(): void }> {
  const bytes = await readPrivateKeyFile(file);
  try {
    const { protection } = inspectOpenSshPrivateKey(bytes);
    if (protection === 'passphrase' && (passphrase === undefined || passphrase === '')) throw new CosignerError(`the key file ${file} is protected by a passphrase: set COUNTERSIGN_PASSPHRASE`);
    const key = await withPassphraseBytes(passphrase ?? '', async (passphraseBytes) => {
      try {
        return parseOpenSshPrivateKey(bytes, protection === 'none' ? new Uint8Array(0) : passphraseBytes);
      } catch (error) {
        if (error instanceof OpenSshPassphraseError) throw new CosignerError(`wrong passphrase for the key file ${file}`);
        throw error;
      }
    });
    return { keyId: keyIdOf(publicKeyFromSeed(key.seed)), sign: async (message) => signEd25519(message, key.seed), dispose: () => key.seed.fill(0) };
  } finally {
    bytes.fill(0);
  }
}
