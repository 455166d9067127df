import { describe, expect, it } from 'vitest';
import type { SigstoreIdentity } from '../../foreign/format-verifier';
import { NO_VERIFIED_TIME, verifyFulcioCertificate } from './fulcio-certificate';
import type { VerifiedTime } from './keyless-types';
import { makeRootCa, makeTestFulcio, type LeafOptions, type TrustedRootOptions } from './test-fulcio';
import { readTrustedRoot } from './trusted-root';

const MINUTE = 60_000;
const SIGNED_AT = new Date('2026-03-01T10:00:00Z');
const CA_FROM = new Date('2025-01-01T00:00:00Z');
const CA_TO = new Date('2030-01-01T00:00:00Z');
const fulcio = makeTestFulcio(CA_FROM, CA_TO);
const ALICE: SigstoreIdentity = { identity: 'alice@example.test', issuer: 'https://issuer.example.test', name: null };
const at = (time: Date): VerifiedTime[] => [{ time, source: 'rekor-integrated-time', authority: 'https://rekor.example.test' }];

function leaf(options: Partial<LeafOptions> = {}) {
  return fulcio.issueLeaf({ email: ALICE.identity, notBefore: SIGNED_AT, notAfter: new Date(SIGNED_AT.getTime() + 10 * MINUTE), ...options });
}

function check(options: Partial<LeafOptions> = {}, { times = at(new Date(SIGNED_AT.getTime() + 2 * MINUTE)), identities = [ALICE], root = {} as TrustedRootOptions, intermediates = [] as Uint8Array[] } = {}) {
  const trusted = readTrustedRoot(new TextEncoder().encode(JSON.stringify(fulcio.trustedRoot(root))));
  return verifyFulcioCertificate(leaf(options).der, intermediates, trusted, times, identities);
}

describe('verifyFulcioCertificate', () => {
  it('accepts a leaf for the trusted identity and issuer, chained to the trusted Fulcio, with a valid SCT', () => {
    const verdict = check();
    expect(verdict.problems).toEqual([]);
    expect(verdict).toMatchObject({ identity: ALICE.identity, issuer: ALICE.issuer, matched: ALICE });
    expect(verdict.proofsChecked).toEqual(['fulcio-chain', 'sct']);
    expect(verdict.publicKey?.asymmetricKeyType).toBe('ec');
  });

  it('reads URI and username identities, and the legacy issuer extension', () => {
    const workflow = 'https://github.com/example/repo/.github/workflows/release.yml@refs/heads/main';
    expect(check({ email: undefined, uri: workflow, issuer: null, legacyIssuer: 'https://token.actions.example.test' }, { identities: [{ identity: workflow, issuer: 'https://token.actions.example.test', name: 'ci' }] }).problems).toEqual([]);
    expect(check({ email: undefined, username: 'alice', issuer: 'https://idp.example.test' }, { identities: [{ identity: 'alice', issuer: 'https://idp.example.test', name: null }] }).problems).toEqual([]);
  });

  it('refuses another identity, naming the expected and the found one', () => {
    const verdict = check({ email: 'mallory@example.test' });
    expect(verdict.matched).toBeNull();
    expect(verdict.problems.join(' ')).toContain('"mallory@example.test"');
    expect(verdict.problems.join(' ')).toContain('expected "alice@example.test" from issuer "https://issuer.example.test"');
  });

  it('refuses the right identity from the wrong OIDC issuer', () => {
    const verdict = check({ issuer: 'https://evil-issuer.example.test' });
    expect(verdict.problems).toHaveLength(1);
    expect(verdict.problems[0]).toContain('identity matches, but its OIDC issuer is "https://evil-issuer.example.test"');
  });

  it('compares identities exactly: no prefix, case or wildcard match', () => {
    expect(check({ email: 'Alice@example.test' }).problems).not.toEqual([]);
    expect(check({}, { identities: [{ ...ALICE, identity: '*@example.test' }] }).problems).not.toEqual([]);
    expect(check({}, { identities: [{ ...ALICE, issuer: 'https://issuer.example.test/' }] }).problems).not.toEqual([]);
  });

  it('checks the leaf at the verified time, never now: valid now but not at the time is refused', () => {
    const now = new Date();
    const verdict = check({ notBefore: new Date(now.getTime() - 5 * MINUTE), notAfter: new Date(now.getTime() + 5 * MINUTE), sctTime: now }, { times: at(SIGNED_AT) });
    expect(verdict.problems.join(' ')).toMatch(/the signing certificate is valid from .* but the signature was made at 2026-03-01T10:00:00.000Z/);
  });

  it('accepts a leaf that expired long ago when it was valid at the verified time', () => {
    const old = new Date('2025-06-01T12:00:00Z');
    expect(check({ notBefore: old, notAfter: new Date(old.getTime() + 10 * MINUTE) }, { times: at(new Date(old.getTime() + MINUTE)) }).problems).toEqual([]);
  });

  it('requires every verified time to fall inside the leaf validity', () => {
    const times = [...at(new Date(SIGNED_AT.getTime() + MINUTE)), { time: new Date(SIGNED_AT.getTime() + 20 * MINUTE), source: 'rfc3161' as const, authority: 'tsa.example.test' }];
    expect(check({}, { times }).problems.join(' ')).toContain('timestamp from tsa.example.test');
  });

  it('refuses without any verified time', () => {
    expect(check({}, { times: [] }).problems).toContain(NO_VERIFIED_TIME);
  });

  it('refuses a leaf from a CA the trusted root does not list', () => {
    const stranger = makeRootCa('stranger-ca', CA_FROM, CA_TO);
    const verdict = check({ issuedBy: stranger }, { intermediates: [stranger.der] });
    expect(verdict.problems.join(' ')).toContain('no certificate authority of the trusted root issued it');
    expect(verdict.problems.join(' ')).toContain('stranger-ca');
  });

  it('refuses when the CA is outside its validity window in the trusted root at the signing time', () => {
    const verdict = check({}, { root: { caValidFor: { start: CA_FROM, end: new Date('2026-01-01T00:00:00Z') } } });
    expect(verdict.problems.join(' ')).toMatch(/is valid from 2025-01-01T00:00:00.000Z to 2026-01-01T00:00:00.000Z in the trusted root, but the signature was made at 2026-03-01T10:02:00.000Z/);
  });

  it('builds the chain through the intermediate the bundle brings when the trusted root lists only the root', () => {
    const root = { certificateAuthorities: [[fulcio.root]] };
    expect(check({}, { root, intermediates: [fulcio.intermediate.der] }).problems).toEqual([]);
    expect(check({}, { root }).problems.join(' ')).toContain('no certificate authority of the trusted root issued it');
  });

  it('requires an SCT: none, from an unknown log, forged, or outside the log validity is refused with the logs tried', () => {
    expect(check({ sct: 'none' }).problems.join(' ')).toContain('carries no embedded SCT');
    const unknown = check({ sct: 'unknown-log' }).problems.join(' ');
    expect(unknown).toContain('from a log the trusted root does not list');
    expect(unknown).toContain('logs tried: https://ctfe.example.test/test');
    expect(check({ sct: 'forged' }).problems.join(' ')).toContain('does not verify over this certificate');
    expect(check({}, { root: { ctlogValidFor: { start: new Date('2026-06-01T00:00:00Z') } } }).problems.join(' ')).toContain("outside the log's window");
  });

  it('refuses a certificate that is not for code signing', () => {
    expect(check({ extendedKeyUsage: ['1.3.6.1.5.5.7.3.1'] }).problems.join(' ')).toContain('not for code signing (extended key usage: 1.3.6.1.5.5.7.3.1)');
  });

  it('refuses hostile DER inside an extension, and issuer extensions that disagree, without throwing', () => {
    expect(check({ truncatedExtendedKeyUsage: true }).problems).toEqual([expect.stringContaining('the certificate cannot be read')]);
    expect(check({ legacyIssuer: 'https://other-issuer.example.test' }).problems[0]).toContain('OIDC issuer extensions disagree');
  });

  it('refuses a CA certificate as the leaf, and bytes that are no certificate', () => {
    const trusted = readTrustedRoot(new TextEncoder().encode(JSON.stringify(fulcio.trustedRoot())));
    expect(verifyFulcioCertificate(fulcio.intermediate.der, [], trusted, at(SIGNED_AT), [ALICE]).problems.join(' ')).toContain('is a CA certificate');
    expect(verifyFulcioCertificate(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01), [], trusted, at(SIGNED_AT), [ALICE]).problems[0]).toContain('the certificate cannot be read');
  });
});
