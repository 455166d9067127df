import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBoardPolicy } from '../formats/board-policy';
import { describeBoardChanges, summariseBoard } from './board-summary';

const MEMBER_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOv2H0d4qR0k3bqzQ1aX0k3n5gS0n8Jm3x3o8wz1Yv7a ada@laptop';

describe('summariseBoard: producers trusted by other anchors', () => {
  const work = mkdtempSync(join(tmpdir(), 'anchor-summary-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('names each anchor by kind: an EC key by its SPKI key ID, a root by its identity and certificate fingerprint, a keyless identity with its issuer', () => {
    const publicKey = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey;
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const keyId = `SHA256:${createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64').replace(/=+$/, '')}`;
    const rootKey = join(work, 'root.key');
    execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', rootKey]);
    const rootPem = execFileSync('openssl', ['req', '-x509', '-new', '-key', rootKey, '-subj', '/CN=root', '-days', '2']).toString();
    const policy = parseBoardPolicy({
      board: 'Board',
      version: 1,
      members: [{ name: 'Ada', roles: [], keys: [MEMBER_KEY] }],
      producers: [{ name: 'CI', keys: [pem], certificateAuthorities: [{ pem: rootPem, identity: 'ci@example.test' }], sigstore: [{ identity: 'https://ci.example/wf', issuer: 'https://issuer.example' }] }],
      sigstoreTrustedRoot: { sha256: 'b'.repeat(64) },
      rules: { approvalsRequired: 1, rolesRequired: {}, authorMayApprove: true, rejectionBlocks: true, maxApprovalAgeDays: 30 },
    });
    const summary = summariseBoard(policy, 'a'.repeat(64), null);
    expect(summary.producers[0]).toEqual({
      name: 'CI',
      keyIds: [keyId],
      anchors: [
        { kind: 'key', label: keyId, detail: 'PEM public key' },
        { kind: 'x509-root', label: 'ci@example.test', detail: `X.509 root SHA256 ${new X509Certificate(rootPem).fingerprint256}` },
        { kind: 'sigstore', label: 'https://ci.example/wf', detail: 'issuer https://issuer.example' },
      ],
    });
    expect(summary.sigstoreTrustedRoot).toEqual({ sha256: 'b'.repeat(64), held: false });
  });
});

describe('describeBoardChanges: widening a producer\'s trust is shown before import', () => {
  it('names an added keyless identity and a changed trusted root pin', () => {
    const base = {
      board: 'Board',
      version: 1,
      members: [{ name: 'Ada', roles: [], keys: [MEMBER_KEY] }],
      producers: [{ name: 'CI', sigstore: [{ identity: 'https://ci.example/wf', issuer: 'https://issuer.example' }] }],
      sigstoreTrustedRoot: { sha256: 'b'.repeat(64) },
      rules: { approvalsRequired: 1, rolesRequired: {}, authorMayApprove: true, rejectionBlocks: true, maxApprovalAgeDays: 30 },
    };
    const wider = { ...base, version: 2, producers: [{ name: 'CI', sigstore: [...base.producers[0]!.sigstore, { identity: 'https://other.example/wf', issuer: 'https://issuer.example' }] }], sigstoreTrustedRoot: { sha256: 'c'.repeat(64) } };
    const current = parseBoardPolicy(base);
    const next = parseBoardPolicy(wider);
    const changes = describeBoardChanges(summariseBoard(current, '1'.repeat(64), null), summariseBoard(next, '2'.repeat(64), null), current.rules, next.rules);
    expect(changes).toContain('Producer CI: trusted also through sigstore https://other.example/wf (issuer https://issuer.example).');
    expect(changes).toContain(`Sigstore trusted root: ${'b'.repeat(64)} → ${'c'.repeat(64)}.`);
  });
});
