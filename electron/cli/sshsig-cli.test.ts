import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { reportOf, runCli, writeFile } from './foreign-test-kit';

let work: string;
let artifact: string;

/** The key types ssh-keygen signs with, each made and used at test time. */
const KEY_TYPES = [
  { name: 'ed25519', args: ['-t', 'ed25519'], algorithm: 'ssh-ed25519' },
  { name: 'ecdsa-256', args: ['-t', 'ecdsa', '-b', '256'], algorithm: 'ecdsa-sha2-nistp256' },
  { name: 'ecdsa-384', args: ['-t', 'ecdsa', '-b', '384'], algorithm: 'ecdsa-sha2-nistp384' },
  { name: 'ecdsa-521', args: ['-t', 'ecdsa', '-b', '521'], algorithm: 'ecdsa-sha2-nistp521' },
  { name: 'rsa', args: ['-t', 'rsa', '-b', '3072'], algorithm: 'rsa-sha2-512' },
] as const;

function makeKey(name: string, args: readonly string[]): string {
  const key = path.join(work, name);
  execFileSync('ssh-keygen', ['-q', ...args, '-N', '', '-C', `${name}@test`, '-f', key]);
  return key;
}

/** `ssh-keygen -Y sign`: the signature lands in `<file>.sig`, which is moved to a name of our choosing. */
function sshSign(key: string, namespace: string, file: string, extra: string[] = []): string {
  execFileSync('ssh-keygen', ['-q', '-Y', 'sign', '-f', key, '-n', namespace, ...extra, file]);
  const signature = path.join(work, `${path.basename(key)}-${namespace}-${Math.random().toString(36).slice(2)}.sig`);
  fs.renameSync(`${file}.sig`, signature);
  return signature;
}

function publicLine(key: string): string {
  return fs.readFileSync(`${key}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
}

function sshVerify(allowed: string, principal: string, namespace: string, signature: string, file: string): number {
  return spawnSync('ssh-keygen', ['-Y', 'verify', '-f', allowed, '-I', principal, '-n', namespace, '-s', signature], { input: fs.readFileSync(file) }).status ?? -1;
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-sshsig-'));
  artifact = writeFile(work, 'model.onnx', Buffer.from('weights '.repeat(1000)));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('verify --format sshsig, against ssh-keygen', () => {
  for (const type of KEY_TYPES) {
    it(`verifies a ${type.name} signature exactly when ssh-keygen -Y verify does`, async () => {
      const key = makeKey(type.name, type.args);
      const signature = sshSign(key, 'review', artifact);
      const allowed = writeFile(work, `allowed-${type.name}`, `alice@example.com ${publicLine(key)}\n`);
      const fingerprint = execFileSync('ssh-keygen', ['-lf', `${key}.pub`], { encoding: 'utf8' }).split(' ')[1];

      expect(sshVerify(allowed, 'alice@example.com', 'review', signature, artifact)).toBe(0);
      const good = await runCli(work, 'verify', artifact, '--signature', signature, '--allowed-signers', allowed, '--principal', 'alice@example.com', '--namespace', 'review', '--json');
      expect(good.code).toBe(0);
      const report = reportOf(good);
      expect(report.bundle.format).toBe('sshsig');
      expect(report.signatures[0]).toMatchObject({ status: 'valid', keyId: fingerprint, signerName: 'alice@example.com', algorithm: type.algorithm });

      // The same file changed by one byte: both refuse; Countersign says tampered (exit 1).
      const changed = writeFile(work, `changed-${type.name}`, Buffer.concat([fs.readFileSync(artifact), Buffer.from('!')]));
      expect(sshVerify(allowed, 'alice@example.com', 'review', signature, changed)).not.toBe(0);
      const tampered = await runCli(work, 'verify', changed, '--signature', signature, '--allowed-signers', allowed, '--principal', 'alice@example.com', '--namespace', 'review', '--json');
      expect(tampered.code).toBe(1);
      expect(reportOf(tampered).verdict).toBe('tampered');

      // The key given alone as --key (an OpenSSH line) verifies it too.
      const byKey = await runCli(work, 'verify', artifact, '--signature', signature, '--key', `${key}.pub`, '--namespace', 'review');
      expect(byKey.code).toBe(0);
      expect(byKey.stdout).toContain('VERIFIED');
    });
  }

  it('verifies an RSA signature made with rsa-sha2-256 (-O hashalg=sha256 hashes the message with SHA-256)', async () => {
    const key = makeKey('rsa-256', ['-t', 'rsa', '-b', '2048']);
    const signature = sshSign(key, 'review', artifact, ['-O', 'hashalg=sha256']);
    const run = await runCli(work, 'verify', artifact, '--signature', signature, '--key', `${key}.pub`, '--namespace', 'review', '--json');
    expect(run.code).toBe(0);
  });

  describe('pitfalls', () => {
    let key: string;
    let reviewSignature: string;
    beforeAll(() => {
      key = makeKey('pitfalls', ['-t', 'ed25519']);
      reviewSignature = sshSign(key, 'review', artifact);
    });
    const allowedWith = (line: string) => writeFile(work, `allowed-${Math.random().toString(36).slice(2)}`, `${line}\n`);

    it('a signature made for git never counts as a review (exit 1), as ssh-keygen refuses it', async () => {
      const gitSignature = sshSign(key, 'git', artifact);
      const allowed = allowedWith(`alice ${publicLine(key)}`);
      expect(sshVerify(allowed, 'alice', 'review', gitSignature, artifact)).not.toBe(0);
      const run = await runCli(work, 'verify', artifact, '--signature', gitSignature, '--allowed-signers', allowed, '--principal', 'alice', '--namespace', 'review', '--json');
      expect(run.code).toBe(1);
      const report = reportOf(run);
      expect(report.verdict).toBe('untrusted');
      expect(report.signatures[0].status).toBe('not-allowed');
      expect(report.signatures[0].reason).toContain('"git"');
    });

    it('refuses a principal the allowed signers do not name, and a namespace the line does not allow', async () => {
      const allowed = allowedWith(`alice,!mallory ${publicLine(key)}`);
      const other = await runCli(work, 'verify', artifact, '--signature', reviewSignature, '--allowed-signers', allowed, '--principal', 'bob', '--namespace', 'review', '--json');
      expect(sshVerify(allowed, 'bob', 'review', reviewSignature, artifact)).not.toBe(0);
      expect(other.code).toBe(1);
      expect(reportOf(other).signatures[0].reason).toContain('does not allow principal "bob"');

      const restricted = allowedWith(`alice namespaces="git,file" ${publicLine(key)}`);
      expect(sshVerify(restricted, 'alice', 'review', reviewSignature, artifact)).not.toBe(0);
      const namespace = await runCli(work, 'verify', artifact, '--signature', reviewSignature, '--allowed-signers', restricted, '--principal', 'alice', '--namespace', 'review', '--json');
      expect(namespace.code).toBe(1);
      expect(reportOf(namespace).signatures[0].status).toBe('not-allowed');

      const wildcard = allowedWith(`*@example.com namespaces="rev*" ${publicLine(key)}`);
      expect(sshVerify(wildcard, 'alice@example.com', 'review', reviewSignature, artifact)).toBe(0);
      expect((await runCli(work, 'verify', artifact, '--signature', reviewSignature, '--allowed-signers', wildcard, '--principal', 'alice@example.com', '--namespace', 'review')).code).toBe(0);
    });

    it('refuses a key whose valid-before has passed, or whose valid-after has not come', async () => {
      const expired = allowedWith(`alice valid-before="20200101Z" ${publicLine(key)}`);
      expect(sshVerify(expired, 'alice', 'review', reviewSignature, artifact)).not.toBe(0);
      const run = await runCli(work, 'verify', artifact, '--signature', reviewSignature, '--allowed-signers', expired, '--principal', 'alice', '--namespace', 'review', '--json');
      expect(run.code).toBe(1);
      expect(reportOf(run).signatures[0].reason).toContain('expired');

      const future = allowedWith(`alice valid-after="29990101" ${publicLine(key)}`);
      expect(sshVerify(future, 'alice', 'review', reviewSignature, artifact)).not.toBe(0);
      expect((await runCli(work, 'verify', artifact, '--signature', reviewSignature, '--allowed-signers', future, '--principal', 'alice', '--namespace', 'review')).code).toBe(1);

      const current = allowedWith(`alice valid-after="20200101",valid-before="29990101" ${publicLine(key)}`);
      expect((await runCli(work, 'verify', artifact, '--signature', reviewSignature, '--allowed-signers', current, '--principal', 'alice', '--namespace', 'review')).code).toBe(0);
    });

    it('a key nobody trusts is untrusted (exit 1), whatever key the signature carries', async () => {
      const stranger = makeKey('stranger', ['-t', 'ed25519']);
      const allowed = allowedWith(`alice ${publicLine(stranger)}`);
      const run = await runCli(work, 'verify', artifact, '--signature', reviewSignature, '--allowed-signers', allowed, '--principal', 'alice', '--namespace', 'review', '--json');
      expect(run.code).toBe(1);
      expect(reportOf(run).signatures[0].status).toBe('unknown-key');
    });

    it('verifies signatures made with OpenSSH certificates exactly when ssh-keygen does: CA, principals, validity, kind', async () => {
      const ca = makeKey('ca', ['-t', 'ecdsa', '-b', '384']);
      const otherCa = makeKey('other-ca', ['-t', 'ed25519']);
      /** A copy of the signing key certified by `authority` with ssh-keygen -s, signing with the certificate. */
      const certifiedSignature = (name: string, authority: string, certArgs: string[]) => {
        const holder = path.join(work, `cert-${name}`);
        fs.copyFileSync(key, holder);
        fs.chmodSync(holder, 0o600);
        fs.copyFileSync(`${key}.pub`, `${holder}.pub`);
        execFileSync('ssh-keygen', ['-q', '-s', authority, '-I', `${name}-id`, ...certArgs, `${holder}.pub`]);
        return sshSign(`${holder}-cert.pub`, 'review', artifact);
      };
      const caLine = allowedWith(`*@example.com cert-authority ${publicLine(ca)}`);
      const verifyWith = async (signature: string, principal: string, allowed = caLine) => {
        const ours = await runCli(work, 'verify', artifact, '--signature', signature, '--allowed-signers', allowed, '--principal', principal, '--namespace', 'review', '--json');
        return { ours, report: reportOf(ours), theirs: sshVerify(allowed, principal, 'review', signature, artifact) };
      };

      const good = certifiedSignature('good', ca, ['-n', 'alice@example.com,bob@example.com', '-V', '-1d:+1d']);
      const valid = await verifyWith(good, 'alice@example.com');
      expect(valid.theirs).toBe(0);
      expect(valid.ours.code).toBe(0);
      expect(valid.report.signatures[0]).toMatchObject({ status: 'valid', signerName: 'alice@example.com' });

      const notListed = await verifyWith(good, 'carol@example.com');
      expect(notListed.theirs).not.toBe(0);
      expect(notListed.ours.code).toBe(1);
      expect(notListed.report.signatures[0].reason).toContain('does not list principal "carol@example.com"');

      const expired = await verifyWith(certifiedSignature('expired', ca, ['-n', 'alice@example.com', '-V', '20200101:20200102']), 'alice@example.com');
      expect(expired.theirs).not.toBe(0);
      expect(expired.ours.code).toBe(1);
      expect(expired.report.signatures[0].reason).toContain('not valid now');

      const host = await verifyWith(certifiedSignature('host', ca, ['-h', '-n', 'alice@example.com']), 'alice@example.com');
      expect(host.theirs).not.toBe(0);
      expect(host.ours.code).toBe(1);

      const untrustedCa = await verifyWith(certifiedSignature('other', otherCa, ['-n', 'alice@example.com']), 'alice@example.com');
      expect(untrustedCa.theirs).not.toBe(0);
      expect(untrustedCa.ours.code).toBe(1);
      expect(untrustedCa.report.signatures[0].status).toBe('unknown-key');

      // The certificate altered to list another principal: the CA's signature no longer verifies.
      const body = armorBody(fs.readFileSync(good, 'utf8'));
      const at = body.indexOf('bob@example.com');
      body.write('eve', at);
      const forged = writeFile(work, 'forged-cert.sig', armor(body.toString('base64')));
      const forgedRun = await verifyWith(forged, 'eve@example.com');
      expect(forgedRun.theirs).not.toBe(0);
      expect(forgedRun.ours.code).toBe(1);
      expect(forgedRun.report).toMatchObject({ verdict: 'tampered' });
      expect(forgedRun.report.signatures[0].reason).toContain('forged or altered');

      // A plain line for the certified key does not vouch for a certificate signature, nor does a CA line for a plain one.
      const plainLine = allowedWith(`alice@example.com ${publicLine(key)}`);
      const plainForCert = await verifyWith(good, 'alice@example.com', plainLine);
      expect(plainForCert.theirs).not.toBe(0);
      expect(plainForCert.ours.code).toBe(1);
      expect((await verifyWith(reviewSignature, 'alice@example.com')).ours.code).toBe(1);
    });

    it('refuses an ssh-rsa (SHA-1) signature as invalid, exit 2', async () => {
      const rsa = makeKey('rsa-sha1', ['-t', 'rsa', '-b', '2048']);
      const signature = sshSign(rsa, 'review', artifact);
      const forged = rewriteSignatureAlgorithm(fs.readFileSync(signature, 'utf8'), 'ssh-rsa');
      const run = await runCli(work, 'verify', artifact, '--signature', writeFile(work, 'sha1.sig', forged), '--key', `${rsa}.pub`, '--namespace', 'review');
      expect(run.code).toBe(2);
      expect(run.stdout).toContain('SHA-1');
    });
  });

  it('without trust flags, trusts the profile’s pinned Ed25519 keys, and says so', async () => {
    const key = makeKey('pinned', ['-t', 'ed25519']);
    const signature = sshSign(key, 'review', artifact);
    const dataDir = path.join(work, 'pinning-profile');
    const fingerprint = execFileSync('ssh-keygen', ['-lf', `${key}.pub`], { encoding: 'utf8' }).split(' ')[1]!;
    expect((await runCli(work, 'verify', artifact, '--signature', signature, '--namespace', 'review', '--data-dir', dataDir)).code).toBe(1);
    expect((await runCli(work, 'trust', 'pin', `${key}.pub`, '--fingerprint', fingerprint, '--name', 'Alice', '--data-dir', dataDir)).code).toBe(0);
    const run = await runCli(work, 'verify', artifact, '--signature', signature, '--namespace', 'review', '--data-dir', dataDir, '--json');
    expect(run.code).toBe(0);
    const report = reportOf(run);
    expect(report.trust.source).toBe('store');
    expect(report.signatures[0]).toMatchObject({ status: 'valid', signerName: 'Alice', trustSource: 'pinned', keyId: fingerprint });
  });

  describe('usage and hostile input', () => {
    let key: string;
    let signature: string;
    beforeAll(() => {
      key = makeKey('hostile', ['-t', 'ed25519']);
      signature = sshSign(key, 'review', artifact);
    });

    it('an SSH signature without --namespace is a usage error (exit 2), and the profile is never created', async () => {
      const run = await runCli(work, 'verify', artifact, '--signature', signature, '--key', `${key}.pub`);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--namespace');
      expect(fs.existsSync(path.join(work, 'profile'))).toBe(false);
    });

    it('refuses huge armor, truncated wire strings, bad base64 and trailing bytes with a clear error (exit 2)', async () => {
      const body = armorBody(fs.readFileSync(signature, 'utf8'));
      const cases: { name: string; text: string; message: RegExp }[] = [
        { name: 'huge', text: armor('A'.repeat(70 * 1024)), message: /more than an SSH signature can be/ },
        { name: 'truncated', text: armor(body.subarray(0, 40).toString('base64')), message: /truncated/ },
        { name: 'lying-length', text: armor(withLyingLength(body).toString('base64')), message: /truncated/ },
        { name: 'bad-base64', text: armor(`${body.toString('base64').slice(0, 20)}*${body.toString('base64').slice(21)}`), message: /not base64/ },
        { name: 'trailing', text: armor(Buffer.concat([body, Buffer.from([0, 0, 0, 0])]).toString('base64')), message: /unexpected byte/ },
      ];
      for (const hostile of cases) {
        const run = await runCli(work, 'verify', artifact, '--signature', writeFile(work, `${hostile.name}.sig`, hostile.text), '--key', `${key}.pub`, '--namespace', 'review', '--json');
        expect(run.code, hostile.name).toBe(2);
        const report = reportOf(run);
        expect(report.verdict).toBe('invalid');
        expect(report.bundle.format).toBe('sshsig');
        expect(report.reasons.join(' '), hostile.name).toMatch(hostile.message);
      }
    });
  });
});

function armorBody(text: string): Buffer {
  return Buffer.from(text.split('\n').filter((line) => line !== '' && !line.startsWith('-----')).join(''), 'base64');
}

function armor(base64: string): string {
  const lines = base64.match(/.{1,70}/g) ?? [];
  return ['-----BEGIN SSH SIGNATURE-----', ...lines, '-----END SSH SIGNATURE-----', ''].join('\n');
}

/** The public key's length field made larger than the whole blob. */
function withLyingLength(body: Buffer): Buffer {
  const copy = Buffer.from(body);
  copy.writeUInt32BE(0x7fffffff, 10);
  return copy;
}

/** Rebuilds an SSH signature with another signature algorithm name, the rest unchanged. */
function rewriteSignatureAlgorithm(text: string, algorithm: string): string {
  const body = armorBody(text);
  let offset = 10;
  const fields: Buffer[] = [];
  for (let i = 0; i < 5; i++) {
    const length = body.readUInt32BE(offset);
    fields.push(body.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  const signature = fields[4]!;
  const nameLength = signature.readUInt32BE(0);
  const blob = signature.subarray(4 + nameLength);
  const string = (bytes: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, 0].map((_, i) => (bytes.length >>> (24 - 8 * i)) & 0xff)), bytes]);
  const newSignature = Buffer.concat([string(Buffer.from(algorithm)), blob]);
  return armor(Buffer.concat([body.subarray(0, 10), ...fields.slice(0, 4).map(string), string(newSignature)]).toString('base64'));
}
