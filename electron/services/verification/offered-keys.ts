import type { OfferedKey } from '../../../shared/api/contract';
import { parsePublicKey } from '../../../shared/crypto/keys';
import type { OfferedPublicKey } from '../../../shared/verify/check-signatures';
import { messageOf } from '../../../shared/verify/trust';
import { readBundleFile, type OpenedBundle } from '../bundle/open-bundle';
import type { BundleLayout } from '../bundle/layout';

const MAX_KEY_FILE_BYTES = 64 * 1024;

export interface ReadOfferedKey {
  offered: Omit<OfferedKey, 'pinned'>;
  key: OfferedPublicKey | null;
}

/** Reads keys/*.pub: public keys a bundle offers for pinning. They are never trusted by being there. */
export async function readOfferedKeys(bundle: OpenedBundle, layout: BundleLayout): Promise<ReadOfferedKey[]> {
  return Promise.all(
    layout.keys.map(async (file): Promise<ReadOfferedKey> => {
      try {
        const text = new TextDecoder('utf-8', { fatal: true }).decode(await readBundleFile(bundle, file, MAX_KEY_FILE_BYTES));
        const info = parsePublicKey(text.trim());
        return {
          offered: { file, keyId: info.keyId, comment: info.comment, publicKey: info.openssh, error: null },
          key: { keyId: info.keyId, publicKey: info.publicKey, file },
        };
      } catch (error) {
        return { offered: { file, keyId: null, comment: null, publicKey: null, error: messageOf(error) }, key: null };
      }
    }),
  );
}
