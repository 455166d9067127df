import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBoardPolicy } from '../../../shared/formats/board-policy';
import { parseStrictJson } from '../../../shared/json/strict-json';
import { buildTrustContext } from '../../../shared/verify/trust';
import { trustFromProfile } from '../foreign/load-trust-flags';
import { makeOpensslKey } from '../oms/oms-test-producer';
import { buildHostTrustContext } from './host-trust-context';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const MEMBER_KEY = fs.readFileSync(path.join(repoRoot, 'assets/demo/bundle/keys/training-ci.pub'), 'utf8').trim();
const OPTIONS = { namespace: null, links: null, ignorePaths: [], ignoreUnsignedFiles: false, threshold: 1 };
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'host-trust-context-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function policyWithProducerKeys(keys: string[]) {
  const text = JSON.stringify({
    board: 'Board',
    version: 1,
    members: [{ name: 'Ada', roles: [], keys: [MEMBER_KEY] }],
    producers: [{ name: 'release CI', keys }],
    rules: { approvalsRequired: 1, rolesRequired: {}, authorMayApprove: true, rejectionBlocks: true, maxApprovalAgeDays: 30 },
  });
  return parseBoardPolicy(parseStrictJson(new TextEncoder().encode(text)));
}

const P256_CURVE_OID = Buffer.from('06082a8648ce3d030107', 'hex');

/** A whole, well-formed P-256 SubjectPublicKeyInfo whose curve OID names a curve that does not exist. */
function keyOnUnknownCurve(goodPem: string): string {
  const der = Buffer.from(goodPem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const at = der.indexOf(P256_CURVE_OID);
  if (at < 0) throw new Error('not a P-256 key');
  der[at + P256_CURVE_OID.length - 1] = 0x63;
  return `-----BEGIN PUBLIC KEY-----\n${der.toString('base64')}\n-----END PUBLIC KEY-----\n`;
}

describe('buildHostTrustContext', () => {
  it('warns about a producer EC key the host cannot read, where it stands in the policy, and leaves it out', () => {
    const good = fs.readFileSync(makeOpensslKey(work, 'producer', 'p256').publicPath, 'utf8');
    const policy = policyWithProducerKeys([good, keyOnUnknownCurve(good)]);
    const context = buildHostTrustContext({ source: 'board-file', board: policy });
    expect(context.findings).toEqual([expect.objectContaining({ severity: 'warning', code: 'trust-key-unreadable', location: 'board.producers[0].keys[1]' })]);
    expect(context.findings[0]?.message).toContain('release CI');
    expect(context.producerAnchors[0]?.keys.map((key) => key.location)).toEqual(['board.producers[0].keys[0]']);
    expect(trustFromProfile(context, OPTIONS).keys.filter((key) => key.source === 'producer')).toHaveLength(1);
  });

  it('has no warning for readable producer keys, and the shared builder alone passes other keys on unread', () => {
    const good = fs.readFileSync(makeOpensslKey(work, 'p384-producer', 'p384').publicPath, 'utf8');
    expect(buildHostTrustContext({ source: 'board-file', board: policyWithProducerKeys([good]) }).findings).toEqual([]);
    const unread = buildTrustContext({ source: 'board-file', board: policyWithProducerKeys([keyOnUnknownCurve(fs.readFileSync(makeOpensslKey(work, 'other', 'p256').publicPath, 'utf8'))]) });
    expect(unread.findings).toEqual([]);
    expect(unread.producerAnchors[0]?.keys).toHaveLength(1);
  });
});
