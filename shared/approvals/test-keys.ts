import { serializeEnvelope, signEnvelope } from '../crypto/dsse';
import { publicKeyFromSeed } from '../crypto/ed25519';
import { sha256 } from '../crypto/hash';
import { keyIdOf, toOpenSshLine, toPem } from '../crypto/keys';
import { IN_TOTO_PAYLOAD_TYPE } from '../verify/check-manifest';
import { buildApprovalStatement, type ApprovalStatementInput } from './approval-statement';

/** Fixtures shared by the approval tests: keys from fixed seeds, and real signed approval envelopes. */

const encoder = new TextEncoder();

export interface TestKey {
  seed: Uint8Array;
  publicKey: Uint8Array;
  keyId: string;
  openssh: string;
  pem: string;
}

export function testKey(label: string): TestKey {
  const seed = sha256(encoder.encode(`countersign test key ${label}`));
  const publicKey = publicKeyFromSeed(seed);
  return { seed, publicKey, keyId: keyIdOf(publicKey), openssh: toOpenSshLine(publicKey, `${label}@test`), pem: toPem(publicKey) };
}

export const MANIFEST_DIGEST = sha256Hex('the manifest payload');
export const POLICY_DIGEST = sha256Hex('the board policy file');

export function sha256Hex(text: string): string {
  return [...sha256(encoder.encode(text))].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

export type ApprovalOverrides = Partial<Omit<ApprovalStatementInput, 'reviewer'>> & { reviewer?: string };

/** The bytes of an approval envelope signed by `signers` (the reviewer first). */
export function signedApproval(signers: readonly TestKey[], overrides: ApprovalOverrides = {}): Uint8Array {
  const [reviewer] = signers;
  if (reviewer === undefined) throw new RangeError('an approval needs a signer');
  const statement = buildApprovalStatement({
    releaseName: 'fraud-detector',
    releaseVersion: 'm92',
    manifestDigest: MANIFEST_DIGEST,
    decision: 'approve',
    role: 'risk',
    reviewer: reviewer.keyId,
    policyDigest: POLICY_DIGEST,
    reviewedAt: '2026-11-03T09:30:00Z',
    ...overrides,
  });
  return signedPayload(signers, encoder.encode(JSON.stringify(statement)));
}

export function signedPayload(signers: readonly TestKey[], payload: Uint8Array, payloadType = IN_TOTO_PAYLOAD_TYPE): Uint8Array {
  const envelope = signEnvelope(payloadType, payload, signers.map((key) => ({ keyId: key.keyId, seed: key.seed })));
  return encoder.encode(serializeEnvelope(envelope));
}
