import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { derChildren, derEncoded, readDer } from '../../../../shared/encoding/der';
import { verifyRfc3161Timestamp } from './rfc3161';
import { makeTestTsa, resignToken, tamperGenTime, type TestTsa } from './test-tsa';

const SIGNATURE = new Uint8Array(Buffer.from('3045022100signature-bytes-of-the-bundle'));
let work: string;
let tsa: TestTsa;
let other: TestTsa;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'rfc3161-'));
  tsa = makeTestTsa(work, 'tsa-a');
  other = makeTestTsa(work, 'tsa-b');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const verifyNow = (token: Uint8Array, authorities = [tsa.authority], signature = SIGNATURE) => verifyRfc3161Timestamp(token, signature, authorities, new Date());

describe('RFC 3161 timestamps from openssl ts', () => {
  it('verifies a response with the TSA certificate embedded, and gives its time and authority', () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const verdict = verifyNow(tsa.stamp(SIGNATURE));
    expect(verdict).toMatchObject({ ok: true, authority: 'tsa-a TSA' });
    if (verdict.ok) expect(verdict.time.getTime()).toBeGreaterThanOrEqual(before);
  });

  it("verifies a token without certificates, taking the signer from the trusted root's chain, and a bare TimeStampToken", () => {
    const response = tsa.stamp(SIGNATURE, { embedCertificate: false });
    expect(verifyNow(response)).toMatchObject({ ok: true });
    const token = derEncoded(derChildren(readDer(response))[1]!);
    expect(verifyNow(token)).toMatchObject({ ok: true });
  });

  it('verifies a token from a TSA with an RSA key', () => {
    const rsa = makeTestTsa(work, 'tsa-rsa', 'rsa');
    expect(rsa.tsa.certificate.publicKey.asymmetricKeyType).toBe('rsa');
    expect(verifyRfc3161Timestamp(rsa.stamp(SIGNATURE), SIGNATURE, [rsa.authority], new Date())).toMatchObject({ ok: true, authority: 'tsa-rsa TSA' });
    expect(verifyRfc3161Timestamp(tamperGenTime(rsa.stamp(SIGNATURE)), SIGNATURE, [rsa.authority], new Date())).toMatchObject({ ok: false });
  });

  it('accepts a token re-signed by the same TSA certificate (the re-signing used by the hostile cases is sound)', () => {
    expect(verifyNow(resignToken(tsa.stamp(SIGNATURE), tsa.tsa))).toMatchObject({ ok: true });
  });
});

describe('hostile RFC 3161 timestamps, each refused with its reason', () => {
  const cases: { name: string; verdict: () => ReturnType<typeof verifyRfc3161Timestamp>; reason: RegExp }[] = [
    { name: 'a token over other bytes', verdict: () => verifyNow(tsa.stamp(new Uint8Array(Buffer.from('another signature')))), reason: /timestamps other bytes than the bundle's signature/ },
    { name: 'a TSA not chained to a trusted TSA', verdict: () => verifyNow(other.stamp(SIGNATURE)), reason: /does not chain to a timestamp authority of the trusted root: no certificate of tsa-a TSA issued/ },
    { name: 'a TSA whose certificate is nowhere to be found', verdict: () => verifyNow(other.stamp(SIGNATURE, { embedCertificate: false })), reason: /signer's certificate is neither in the timestamp nor among the trusted root's/ },
    {
      name: 'a TSA certificate without the timeStamping EKU',
      verdict: () => verifyNow(resignToken(tsa.stamp(SIGNATURE), tsa.issue('plain', ['basicConstraints = critical,CA:FALSE', 'keyUsage = critical,digitalSignature']))),
      reason: /signing certificate has no extended key usage/,
    },
    {
      name: 'a TSA certificate whose timeStamping EKU is not critical',
      verdict: () => verifyNow(resignToken(tsa.stamp(SIGNATURE), tsa.issue('soft', ['basicConstraints = critical,CA:FALSE', 'extendedKeyUsage = timeStamping']))),
      reason: /extended key usage is not critical/,
    },
    {
      name: 'a TSA certificate that may also sign code',
      verdict: () => verifyNow(resignToken(tsa.stamp(SIGNATURE), tsa.issue('wide', ['basicConstraints = critical,CA:FALSE', 'extendedKeyUsage = critical,timeStamping,codeSigning']))),
      reason: /is not timeStamping alone/,
    },
    { name: 'a tampered TSTInfo', verdict: () => verifyNow(tamperGenTime(tsa.stamp(SIGNATURE))), reason: /TSTInfo was changed after signing/ },
    {
      name: 'a TSA not valid at the timestamp time',
      verdict: () => verifyNow(tsa.stamp(SIGNATURE), [{ ...tsa.authority, validFor: { start: new Date('2020-01-01T00:00:00Z'), end: new Date('2021-01-01T00:00:00Z') } }]),
      reason: /tsa-a TSA was not valid at .* \(valid from 2020-01-01T00:00:00\.000Z to 2021-01-01T00:00:00\.000Z\)/,
    },
    { name: 'a time in the future', verdict: () => verifyRfc3161Timestamp(tsa.stamp(SIGNATURE), SIGNATURE, [tsa.authority], new Date('2020-06-01T00:00:00Z')), reason: /is in the future/ },
    { name: 'bytes that are not DER', verdict: () => verifyNow(new Uint8Array([0x30, 0x85, 1, 2, 3])), reason: /not a well-formed timestamp/ },
  ];
  for (const { name, verdict, reason } of cases) {
    it(`refuses ${name}`, () => {
      const result = verdict();
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problem).toMatch(reason);
    });
  }
});
