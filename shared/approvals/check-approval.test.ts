import { describe, it, expect } from 'vitest';
import type { BoardPolicy } from '../formats/board-policy';
import { buildTrustContext } from '../verify/trust';
import { checkApprovalEnvelope } from './check-approval';
import { signedApproval, signedPayload, testKey } from './test-keys';

const encoder = new TextEncoder();
const ada = testKey('ada');
const alan = testKey('alan');
const eve = testKey('eve');

const policy: BoardPolicy = {
  board: 'Test board',
  version: 1,
  members: [
    { name: 'Ada Byron', roles: ['risk'], keys: [ada.openssh] },
    { name: 'Alan Turing', roles: ['privacy'], keys: [alan.openssh] },
  ],
  producers: [],
  revokedKeys: [],
  rules: { approvalsRequired: 1, rolesRequired: {}, authorMayApprove: false, rejectionBlocks: true, maxApprovalAgeDays: 90 },
  unknownFields: [],
};
const trust = buildTrustContext({ source: 'board-file', board: policy });
const FILE = 'approvals/ada.dsse.json';

describe('checkApprovalEnvelope', () => {
  it('reads a valid approval and names the key that signed it', () => {
    const checked = checkApprovalEnvelope(FILE, signedApproval([ada]), trust);
    expect(checked).toMatchObject({ file: FILE, signerKeyId: ada.keyId, signatureStatus: 'valid', problem: null });
    expect(checked.statement?.predicate).toMatchObject({ decision: 'approve', reviewer: ada.keyId });
  });

  it('keeps unknown envelope fields, at both levels, to be shown, and still counts the approval', () => {
    // eslint-disable-next-line no-restricted-syntax -- our own test envelope
    const envelope = JSON.parse(new TextDecoder().decode(signedApproval([ada]))) as { signatures: Record<string, unknown>[] };
    envelope.signatures[0]!['cert'] = 'x';
    const bytes = encoder.encode(JSON.stringify({ ...envelope, note: 'added by a mirror' }));
    const checked = checkApprovalEnvelope(FILE, bytes, trust);
    expect(checked).toMatchObject({ signatureStatus: 'valid', problem: null });
    expect(checked.unknownFields).toEqual(['envelope $.note', 'envelope $.signatures[0].cert']);
  });

  it('calls an envelope that is not JSON malformed, naming the file and the position', () => {
    const checked = checkApprovalEnvelope(FILE, encoder.encode('{"payloadType": '), trust);
    expect(checked).toMatchObject({ statement: null, signatureStatus: 'malformed', signerKeyId: null });
    expect(checked.problem).toContain(`${FILE} is not a valid DSSE envelope`);
  });

  it('calls an envelope of another payload type malformed', () => {
    const checked = checkApprovalEnvelope(FILE, signedPayload([ada], encoder.encode('{}'), 'text/plain'), trust);
    expect(checked.signatureStatus).toBe('malformed');
    expect(checked.problem).toContain('payloadType "text/plain"');
  });

  it('says invalid when the payload was changed after signing', () => {
    const bytes = signedApproval([ada], { decision: 'reject' });
    const text = new TextDecoder().decode(bytes);
    const payload = /"payload":"([^"]+)"/.exec(text)![1]!;
    const changed = Buffer.from(Buffer.from(payload, 'base64').toString('utf8').replace('"reject"', '"approve"')).toString('base64');
    const checked = checkApprovalEnvelope(FILE, encoder.encode(text.replace(payload, changed)), trust);
    expect(checked).toMatchObject({ signatureStatus: 'invalid', signerKeyId: null });
    expect(checked.statement?.predicate.decision).toBe('approve');
    expect(checked.problem).toContain('does not verify');
  });

  it('says unknown-key for a key nobody trusts, still showing what it claims', () => {
    const checked = checkApprovalEnvelope(FILE, signedApproval([eve]), trust);
    expect(checked).toMatchObject({ signatureStatus: 'unknown-key', signerKeyId: null });
    expect(checked.statement?.predicate.reviewer).toBe(eve.keyId);
  });

  it('says revoked, naming the key, when the board revoked the signer', () => {
    const revokedTrust = buildTrustContext({ source: 'board-file', board: { ...policy, revokedKeys: [ada.keyId] } });
    const checked = checkApprovalEnvelope(FILE, signedApproval([ada]), revokedTrust);
    expect(checked).toMatchObject({ signatureStatus: 'revoked', signerKeyId: ada.keyId });
    expect(checked.problem).toContain('revoked');
  });

  it('flags an approval whose reviewer is not the signing key', () => {
    const checked = checkApprovalEnvelope(FILE, signedApproval([ada], { reviewer: alan.keyId }), trust);
    expect(checked).toMatchObject({ signatureStatus: 'valid', signerKeyId: ada.keyId });
    expect(checked.problem).toContain(`names reviewer ${alan.keyId} but is signed by Ada Byron ${ada.keyId}`);
  });

  it('prefers the reviewer among several valid signers', () => {
    const checked = checkApprovalEnvelope(FILE, signedApproval([alan, ada], { reviewer: ada.keyId }), trust);
    expect(checked).toMatchObject({ signatureStatus: 'valid', signerKeyId: ada.keyId, problem: null });
  });

  it('says what is wrong with a validly signed payload that is not an approval', () => {
    const checked = checkApprovalEnvelope(FILE, signedPayload([ada], encoder.encode('{"_type": "https://in-toto.io/Statement/v1"}')), trust);
    expect(checked).toMatchObject({ statement: null, signatureStatus: 'valid', signerKeyId: ada.keyId });
    expect(checked.problem).toContain('is not a valid approval: $: missing required field');
  });
});
