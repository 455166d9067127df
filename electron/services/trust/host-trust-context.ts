import { buildTrustContext, type TrustContext } from '../../../shared/verify/trust';
import { parseTrustedPublicKey } from '../foreign/public-keys';

/**
 * The trust context as the host builds it: a producer's EC or RSA key the host cannot parse is
 * named in the context's findings (as an unreadable Ed25519 key is), not left out silently.
 */
export function buildHostTrustContext(options: Omit<Parameters<typeof buildTrustContext>[0], 'readOtherKey'>): TrustContext {
  return buildTrustContext({ ...options, readOtherKey: (text) => void parseTrustedPublicKey(text, 'the key', 'producer', 'producer') });
}
