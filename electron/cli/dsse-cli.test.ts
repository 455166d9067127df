import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { derToP1363, paeOf, reportOf, runCli, sha256Hex, spkiKeyId, writeFile } from './foreign-test-kit';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const IN_TOTO = 'application/vnd.in-toto+json';

let work: string;
let artifact: string;

interface Key {
  private: string;
  public: string;
}

function opensslKey(name: string, genArgs: string[]): Key {
  const key = { private: path.join(work, `${name}.pem`), public: path.join(work, `${name}.pub.pem`) };
  execFileSync('openssl', [...genArgs, '-out', key.private], { stdio: 'pipe' });
  execFileSync('openssl', ['pkey', '-in', key.private, '-pubout', '-out', key.public]);
  return key;
}

const ecKey = (name: string, curve: string) => opensslKey(name, ['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve}`]);

/** openssl signs the PAE: `dgst -<hash> -sign` for ECDSA and RSA (DER for ECDSA), `pkeyutl -rawin` for Ed25519. */
function opensslSign(key: Key, message: Buffer, how: { hash?: string; ed25519?: boolean; pss?: boolean }): Buffer {
  const input = writeFile(work, `message-${Math.random().toString(36).slice(2)}`, message);
  if (how.ed25519) return execFileSync('openssl', ['pkeyutl', '-sign', '-inkey', key.private, '-rawin', '-in', input]);
  const pss = how.pss ? ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32'] : [];
  return execFileSync('openssl', ['dgst', `-${how.hash ?? 'sha256'}`, ...pss, '-sign', key.private, input]);
}

function statementFor(subjects: { name: string; sha256: string }[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v1',
      subject: subjects.map((s) => ({ name: s.name, digest: { sha256: s.sha256 } })),
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: {},
    }),
  );
}

function envelope(payloadType: string, payload: Buffer, signatures: { keyid?: string; sig: Buffer }[]): string {
  return JSON.stringify({ payloadType, payload: payload.toString('base64'), signatures: signatures.map((s) => ({ ...(s.keyid !== undefined ? { keyid: s.keyid } : {}), sig: s.sig.toString('base64') })) });
}

const artifactStatement = () => statementFor([{ name: 'model.onnx', sha256: sha256Hex(fs.readFileSync(artifact)) }]);
const writeEnvelope = (text: string) => writeFile(work, `envelope-${Math.random().toString(36).slice(2)}.json`, text);

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-dsse-'));
  artifact = writeFile(work, 'model.onnx', Buffer.from('tensor '.repeat(5000)));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('verify --format dsse with raw keys', () => {
  const curves = [
    { curve: 'P-256', hash: 'sha256', size: 32 },
    { curve: 'P-384', hash: 'sha384', size: 48 },
    { curve: 'P-521', hash: 'sha512', size: 66 },
  ];
  for (const { curve, hash, size } of curves) {
    it(`verifies ECDSA ${curve} with ${hash}, DER and P1363 alike, keyed by the SPKI digest`, async () => {
      const key = ecKey(curve, curve);
      const payload = artifactStatement();
      const der = opensslSign(key, paeOf(IN_TOTO, payload), { hash });
      for (const [encoding, sig] of [['DER', der], ['P1363', derToP1363(der, size)]] as const) {
        const run = await runCli(work, 'verify', artifact, '--signature', writeEnvelope(envelope(IN_TOTO, payload, [{ sig }])), '--key', key.public, '--json');
        expect(run.code, encoding).toBe(0);
        const report = reportOf(run);
        expect(report.bundle.format).toBe('dsse');
        expect(report.signatures[0]).toMatchObject({ status: 'valid', keyId: spkiKeyId(key.public), trustSource: 'flag' });
        expect(report.signatures[0].algorithm).toContain(`${hash} (${encoding})`);
        expect(report.subjects[0]).toMatchObject({ status: 'ok', expectedSha256: sha256Hex(fs.readFileSync(artifact)) });
      }
    });
  }

  it('refuses P-384 signed with SHA-256: the curve decides the hash, not the signer', async () => {
    const key = ecKey('p384-wrong-hash', 'P-384');
    const payload = artifactStatement();
    const sig = opensslSign(key, paeOf(IN_TOTO, payload), { hash: 'sha256' });
    const run = await runCli(work, 'verify', artifact, '--signature', writeEnvelope(envelope(IN_TOTO, payload, [{ keyid: spkiKeyId(key.public), sig }])), '--key', key.public, '--json');
    expect(run.code).toBe(1);
    expect(reportOf(run).signatures[0].status).toBe('invalid');
  });

  it('verifies Ed25519 (strict) and RSA with PKCS#1 v1.5 and PSS over SHA-256', async () => {
    const payload = artifactStatement();
    const message = paeOf(IN_TOTO, payload);
    const ed = opensslKey('ed', ['genpkey', '-algorithm', 'ed25519']);
    const rsa = opensslKey('rsa', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']);
    const cases = [
      { key: ed, sig: opensslSign(ed, message, { ed25519: true }), algorithm: 'ed25519' },
      { key: rsa, sig: opensslSign(rsa, message, { hash: 'sha256' }), algorithm: 'rsa-pkcs1v15-sha256' },
      { key: rsa, sig: opensslSign(rsa, message, { hash: 'sha256', pss: true }), algorithm: 'rsa-pss-sha256' },
    ];
    for (const c of cases) {
      const run = await runCli(work, 'verify', artifact, '--signature', writeEnvelope(envelope(IN_TOTO, payload, [{ sig: c.sig }])), '--key', c.key.public, '--json');
      expect(run.code, c.algorithm).toBe(0);
      expect(reportOf(run).signatures[0].algorithm).toBe(c.algorithm);
    }
    const weak = opensslKey('rsa-1024', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024']);
    const refused = await runCli(work, 'verify', artifact, '--signature', writeEnvelope(envelope(IN_TOTO, payload, [{ sig: cases[0]!.sig }])), '--key', weak.public);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('too weak');
  });

  it('counts distinct trusted keys against --threshold, never signatures', async () => {
    const one = ecKey('threshold-one', 'P-256');
    const two = ecKey('threshold-two', 'P-256');
    const payload = artifactStatement();
    const message = paeOf(IN_TOTO, payload);
    // ECDSA signatures are randomised: two different signatures by the same key.
    const sameKeyTwice = writeEnvelope(envelope(IN_TOTO, payload, [{ sig: opensslSign(one, message, {}) }, { sig: opensslSign(one, message, {}) }]));
    const once = await runCli(work, 'verify', artifact, '--signature', sameKeyTwice, '--key', one.public, '--key', two.public, '--threshold', '2', '--json');
    expect(once.code).toBe(1);
    expect(reportOf(once).verdict).toBe('untrusted');
    expect(reportOf(once).reasons[0]).toContain('1 distinct trusted key(s) signed; 2 are required');

    const twoKeys = writeEnvelope(envelope(IN_TOTO, payload, [{ sig: opensslSign(one, message, {}) }, { sig: opensslSign(two, message, {}) }]));
    expect((await runCli(work, 'verify', artifact, '--signature', twoKeys, '--key', one.public, '--key', two.public, '--threshold', '2')).code).toBe(0);
    expect((await runCli(work, 'verify', artifact, '--signature', twoKeys, '--key', one.public, '--threshold', '2')).code).toBe(1);
  });

  it('never trusts a key hint: a trusted signer with a hint at another key verifies; an untrusted signer naming a trusted key does not', async () => {
    const trusted = ecKey('hint-trusted', 'P-256');
    const stranger = ecKey('hint-stranger', 'P-256');
    const payload = artifactStatement();
    const message = paeOf(IN_TOTO, payload);
    const misleadingHint = writeEnvelope(envelope(IN_TOTO, payload, [{ keyid: spkiKeyId(stranger.public), sig: opensslSign(trusted, message, {}) }]));
    expect((await runCli(work, 'verify', artifact, '--signature', misleadingHint, '--key', trusted.public)).code).toBe(0);

    const claimsTrusted = writeEnvelope(envelope(IN_TOTO, payload, [{ keyid: spkiKeyId(trusted.public), sig: opensslSign(stranger, message, {}) }]));
    const run = await runCli(work, 'verify', artifact, '--signature', claimsTrusted, '--key', trusted.public, '--json');
    expect(run.code).toBe(1);
    expect(reportOf(run).signatures[0].status).not.toBe('valid');
  });

  it('a changed artifact is tampered (exit 1) with expected and actual digests; a statement naming another file is refused', async () => {
    const key = ecKey('bind', 'P-256');
    const payload = artifactStatement();
    const signed = writeEnvelope(envelope(IN_TOTO, payload, [{ sig: opensslSign(key, paeOf(IN_TOTO, payload), {}) }]));
    const changed = writeFile(work, 'changed.onnx', Buffer.concat([fs.readFileSync(artifact), Buffer.from('x')]));
    const run = await runCli(work, 'verify', changed, '--signature', signed, '--key', key.public);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('TAMPERED');
    expect(run.stdout).toContain('not bound to this file');
    expect(run.stdout).toMatch(new RegExp(`expected sha256 ${sha256Hex(fs.readFileSync(artifact))}`));
    expect(run.stdout).toMatch(new RegExp(`actual\\s+sha256 ${sha256Hex(fs.readFileSync(changed))}`));
  });

  it('with the envelope alone as target, verifies the envelope and reads nothing its subjects name, even outside', async () => {
    const key = ecKey('alone', 'P-256');
    const outside = writeFile(work, 'outside-secret', 'secret');
    const payload = statementFor([{ name: '../outside-secret', sha256: sha256Hex('secret') }]);
    const signed = writeEnvelope(envelope(IN_TOTO, payload, [{ sig: opensslSign(key, paeOf(IN_TOTO, payload), {}) }]));
    const run = await runCli(work, 'verify', signed, '--key', key.public, '--json');
    expect(run.code).toBe(0);
    const report = reportOf(run);
    expect(report.subjects).toEqual([]);
    expect(report.findings.map((f: { code: string }) => f.code)).toContain('no-artifact');
    // Given a different artifact, the file the subject names is not taken in its place.
    const other = await runCli(work, 'verify', artifact, '--signature', signed, '--key', key.public);
    expect(other.code).toBe(1);
    expect(fs.readFileSync(outside, 'utf8')).toBe('secret');
  });

  it('binds a non-statement payload to the artifact by its bytes', async () => {
    const key = ecKey('raw-payload', 'P-256');
    const payload = fs.readFileSync(artifact);
    const signed = writeEnvelope(envelope('application/octet-stream', payload, [{ sig: opensslSign(key, paeOf('application/octet-stream', payload), {}) }]));
    expect((await runCli(work, 'verify', artifact, '--signature', signed, '--key', key.public)).code).toBe(0);
    expect((await runCli(work, 'verify', writeFile(work, 'other.bin', 'other'), '--signature', signed, '--key', key.public)).code).toBe(1);
  });

  it('refuses hostile envelopes with a clear error (exit 2) and never creates the profile', async () => {
    const key = ecKey('hostile', 'P-256');
    const badBase64 = writeEnvelope(`{"payloadType":"${IN_TOTO}","payload":"e30=","signatures":[{"sig":"not base64!"}]}`);
    const bad = await runCli(work, 'verify', artifact, '--signature', badBase64, '--key', key.public, '--json');
    expect(bad.code).toBe(2);
    expect(reportOf(bad)).toMatchObject({ verdict: 'invalid', bundle: { format: 'dsse' } });

    const duplicate = writeEnvelope(`{"payloadType":"x","payloadType":"y","payload":"","signatures":[]}`);
    const dup = await runCli(work, 'verify', artifact, '--signature', duplicate, '--key', key.public);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/duplicate/i);
    expect(fs.existsSync(path.join(work, 'profile'))).toBe(false);
  });
});

describe('verify: formats recognised but not supported yet, usage, and the Countersign bundle path', () => {
  it('answers in-toto metadata and a Sigstore bundle "recognised, not supported yet": invalid with the format, never a pass', async () => {
    const inToto = writeFile(work, 'root.layout', JSON.stringify({ signed: { _type: 'layout', steps: [] }, signatures: [] }));
    const sigstore = writeFile(work, 'art.sigstore.json', JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', messageSignature: {} }));
    for (const [signature, format] of [[inToto, 'in-toto'], [sigstore, 'sigstore']] as const) {
      const run = await runCli(work, 'verify', artifact, '--signature', signature, '--key', ecKey(`unsupported-${format}`, 'P-256').public, '--json');
      expect(run.code).toBe(2);
      const report = reportOf(run);
      expect(report).toMatchObject({ verdict: 'invalid', bundle: { format } });
      expect(report.reasons[0]).toContain('recognised, not supported yet');
    }
  });

  it('refuses keyless without both identity and issuer, --layout without --key, and trust flags with a bundle (exit 2)', async () => {
    const envelopeFile = writeEnvelope(envelope(IN_TOTO, artifactStatement(), [{ sig: Buffer.alloc(64) }]));
    const keyless = await runCli(work, 'verify', artifact, '--signature', envelopeFile, '--trusted-root', envelopeFile, '--certificate-identity', 'a@example.com');
    expect(keyless.code).toBe(2);
    expect(keyless.stderr).toContain('--certificate-oidc-issuer');
    const ignored = await runCli(work, 'verify', artifact, '--signature', envelopeFile, '--key', ecKey('flags', 'P-256').public, '--ignore-unsigned-files', '--namespace', 'x');
    expect(ignored.code).toBe(2);
    expect(ignored.stderr).toContain('--namespace, --ignore-unsigned-files do not apply to a DSSE envelope');
    const layout = await runCli(work, 'verify', work, '--layout', envelopeFile);
    expect(layout.code).toBe(2);
    const bundleWithKey = await runCli(work, 'verify', path.join(repoRoot, 'assets/demo/bundle'), '--key', envelopeFile);
    expect(bundleWithKey.code).toBe(2);
    expect(bundleWithKey.stderr).toContain('--board');
  });

  it('keeps the Countersign bundle path: format countersign, its container, under --board', async () => {
    const run = await runCli(work, 'verify', path.join(repoRoot, 'assets/demo/bundle'), '--board', path.join(repoRoot, 'assets/demo/board.json'), '--json');
    expect(run.code).toBe(0);
    expect(reportOf(run).bundle).toMatchObject({ format: 'countersign', container: 'directory' });
  });
});
