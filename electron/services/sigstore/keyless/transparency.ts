// What the transparency logs and timestamp authorities of the trusted root vouch for about one
// Sigstore bundle: each tlog entry and each RFC 3161 timestamp the bundle carries is verified
// (a bad one is a problem, never skipped), and at least one verified time is required, at which
// the signing certificate is then checked. Rekor v2 entries have no time of their own.
import type { Transparency } from '../../../../shared/verify/report';
import type { BundleDsseEnvelope, SigstoreBundle } from '../sigstore-bundle';
import type { TransparencyVerdict, TrustedRoot, VerifiedTime } from './keyless-types';
import { verifyRekorEntry } from './rekor-entry';
import { verifyRfc3161Timestamp } from './rfc3161';

export interface TransparencyInput {
  bundle: SigstoreBundle;
  /** The message signature, or the DSSE envelope's signature: what the log and the TSA vouch for. */
  signatureBytes: Uint8Array;
  leafCertificateDer: Uint8Array | null;
  verificationKeySpkiDer: Uint8Array | null;
  /** The artifact's digest for a message signature (`sha256`, `sha384`, `sha512`, or `SHA2_256`...). */
  artifactDigest: { algorithm: string; hex: string } | null;
  envelope: BundleDsseEnvelope | null;
}

/** sigstore-go's default: one verified time (an integrated time or a timestamp) suffices. */
const REQUIRED_VERIFIED_TIMES = 1;

export function verifyTransparency(input: TransparencyInput, root: TrustedRoot, now: Date): TransparencyVerdict {
  const problems: string[] = [];
  const proofsChecked = new Set<string>();
  const times: VerifiedTime[] = [];

  for (const [index, token] of input.bundle.rfc3161Timestamps.entries()) {
    const verdict = verifyRfc3161Timestamp(token, input.signatureBytes, root.timestampAuthorities, now);
    if (verdict.ok) {
      times.push({ time: verdict.time, source: 'rfc3161', authority: verdict.authority });
      proofsChecked.add('rfc3161');
    } else problems.push(`RFC 3161 timestamp ${index}: ${verdict.problem}`);
  }
  const timestampTimes = times.map((time) => time.time);

  let logIndex: number | null = null;
  const content = {
    signatureBytes: input.signatureBytes,
    leafCertificateDer: input.leafCertificateDer,
    verificationKeySpkiDer: input.verificationKeySpkiDer,
    artifactDigest: input.artifactDigest,
    envelope: input.envelope,
  };
  for (const [index, entry] of input.bundle.tlogEntries.entries()) {
    const verdict = verifyRekorEntry(entry, index, content, root.tlogs, now, timestampTimes);
    logIndex ??= verdict.logIndex;
    problems.push(...verdict.problems);
    for (const proof of verdict.proofsChecked) proofsChecked.add(proof);
    if (verdict.integratedTime !== null && verdict.log !== null) times.push({ time: verdict.integratedTime, source: 'rekor-integrated-time', authority: verdict.log.baseUrl });
  }

  if (times.length < REQUIRED_VERIFIED_TIMES) {
    problems.push(
      input.bundle.tlogEntries.length === 0 && input.bundle.rfc3161Timestamps.length === 0
        ? 'The bundle carries no transparency-log entry and no RFC 3161 timestamp: nothing vouches for when it was signed, so its short-lived certificate cannot be checked.'
        : 'No verified time: no transparency-log entry or RFC 3161 timestamp of the bundle was vouched for by the trusted root, so its certificate cannot be checked at the time of signing.',
    );
  }
  const transparency: Transparency = {
    logIndex,
    integratedTime: times.find((time) => time.source === 'rekor-integrated-time')?.time.toISOString() ?? null,
    timestampAuthorityTime: times.find((time) => time.source === 'rfc3161')?.time.toISOString() ?? null,
    proofsChecked: [...proofsChecked],
  };
  return { times, transparency, problems };
}
