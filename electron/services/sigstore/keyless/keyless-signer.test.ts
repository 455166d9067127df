import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SigstoreIdentity } from '../../foreign/format-verifier';
import type { TransparencyVerdict } from './keyless-types';
import { verifyKeylessSigner } from './keyless-signer';
import { makeTestFulcio, signWithLeaf } from './test-fulcio';
import { readTrustedRoot } from './trusted-root';

const SIGNED_AT = new Date('2026-03-01T10:00:00Z');
const fulcio = makeTestFulcio(new Date('2025-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'));
const root = readTrustedRoot(new TextEncoder().encode(JSON.stringify(fulcio.trustedRoot())));
const leaf = fulcio.issueLeaf({ email: 'alice@example.test', notBefore: SIGNED_AT, notAfter: new Date(SIGNED_AT.getTime() + 600_000) });
const ALICE: SigstoreIdentity = { identity: 'alice@example.test', issuer: 'https://issuer.example.test', name: null };
const MESSAGE = new TextEncoder().encode('the signed bytes');

/** What the transparency check reports when one Rekor entry vouched for the signing time. */
function logged(problems: string[] = []): TransparencyVerdict {
  const time = new Date(SIGNED_AT.getTime() + 60_000);
  return {
    times: problems[0]?.startsWith('no time') ? [] : [{ time, source: 'rekor-integrated-time', authority: 'https://rekor.example.test' }],
    transparency: { logIndex: 7, integratedTime: time.toISOString(), timestampAuthorityTime: null, proofsChecked: ['set', 'inclusion-proof'] },
    problems,
  };
}

function check(options: { message?: Uint8Array; identities?: SigstoreIdentity[]; transparency?: TransparencyVerdict } = {}) {
  return verifyKeylessSigner({
    certificatesDer: [leaf.der],
    signatures: [{ sig: signWithLeaf(leaf, MESSAGE), keyid: null }],
    message: options.message ?? MESSAGE,
    root,
    transparency: options.transparency ?? logged(),
    identities: options.identities ?? [ALICE],
    trustSource: 'flag',
  });
}

describe('verifyKeylessSigner', () => {
  it('names the identity and issuer as the signer, keyed by the leaf SPKI, and adds the certificate proofs', () => {
    const verdict = check();
    const keyId = `SHA256:${createHash('sha256').update(leaf.key.spki).digest('base64').replace(/=+$/, '')}`;
    expect(verdict.checks).toEqual([expect.objectContaining({ status: 'valid', keyId, trustSource: 'flag', signerName: 'alice@example.test (issuer https://issuer.example.test)' })]);
    expect(verdict.transparency).toEqual({ logIndex: 7, integratedTime: '2026-03-01T10:01:00.000Z', timestampAuthorityTime: null, proofsChecked: ['set', 'inclusion-proof', 'fulcio-chain', 'sct'] });
  });

  it('calls a signature that fails under a vouched-for certificate tampered', () => {
    const [result] = check({ message: new TextEncoder().encode('the signed bytes, changed') }).checks;
    expect(result).toMatchObject({ status: 'invalid' });
    expect(result!.reason).toContain('the signed content was changed');
  });

  it('trusts nothing from another identity, naming both', () => {
    const [result] = check({ identities: [{ ...ALICE, identity: 'bob@example.test' }] }).checks;
    expect(result).toMatchObject({ status: 'unknown-key', trustSource: null });
    expect(result!.reason).toContain('"alice@example.test"');
    expect(result!.reason).toContain('expected "bob@example.test"');
  });

  it('calls a failing signature tampered under a genuine certificate even when no time is vouched for (the log entry names other content)', () => {
    const [result] = check({ message: new TextEncoder().encode('changed'), transparency: logged(['no time: the entry was logged for another artifact.']) }).checks;
    expect(result).toMatchObject({ status: 'invalid' });
    expect(result!.reason).toContain('the entry was logged for another artifact');
    const [stranger] = check({ message: new TextEncoder().encode('changed'), identities: [{ ...ALICE, identity: 'bob@example.test' }], transparency: logged(['no time: the entry was logged for another artifact.']) }).checks;
    expect(stranger).toMatchObject({ status: 'unknown-key' });
  });

  it('trusts nothing when the transparency check found a problem, and names it', () => {
    const [result] = check({ transparency: logged(['tlog entry 0: the inclusion proof does not lead to the checkpoint root.']) }).checks;
    expect(result).toMatchObject({ status: 'unknown-key' });
    expect(result!.reason).toContain('the inclusion proof does not lead to the checkpoint root');
    const [untimed] = check({ transparency: { ...logged(), times: [] } }).checks;
    expect(untimed).toMatchObject({ status: 'unknown-key' });
    expect(untimed!.reason).toContain('no transparency-log entry or timestamp vouches for when the signature was made');
  });

  it('names the board producer when the identity came from the board', () => {
    const [result] = check({ identities: [{ ...ALICE, name: 'release-ci' }] }).checks;
    expect(result!.signerName).toBe('release-ci: alice@example.test (issuer https://issuer.example.test)');
  });
});
