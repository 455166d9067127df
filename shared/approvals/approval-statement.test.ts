import { describe, it, expect } from 'vitest';
import type { JsonObject, JsonValue } from '../json/strict-json';
import { parseStrictJson } from '../json/strict-json';
import { APPROVAL_PREDICATE_V1, buildApprovalStatement, parseApprovalStatement, type ApprovalStatementInput } from './approval-statement';
import { MANIFEST_DIGEST, POLICY_DIGEST, testKey } from './test-keys';

const ada = testKey('ada');

const input: ApprovalStatementInput = {
  releaseName: 'fraud-detector',
  releaseVersion: 'm92',
  manifestDigest: MANIFEST_DIGEST,
  decision: 'approve',
  role: 'privacy',
  reviewer: ada.keyId,
  comment: 'Deletion requests up to 2026-10-31 honoured.',
  conditions: ['re-review if the training data changes'],
  policyDigest: POLICY_DIGEST,
  reviewedAt: '2026-11-03T09:30:00Z',
  expiresAt: '2027-02-01T00:00:00Z',
};

/** A copy of the FORMATS §5 example with `edit` applied to its (mutable) JSON. */
function example(edit: (statement: JsonObject & { predicate: JsonObject; subject: JsonObject[] }) => void = () => {}): JsonValue {
  const statement = parseStrictJson(JSON.stringify(buildApprovalStatement(input))) as JsonObject & { predicate: JsonObject; subject: JsonObject[] };
  edit(statement);
  return statement;
}

describe('approval statements (FORMATS §5)', () => {
  it('builds exactly the FORMATS §5 shape, in its field order', () => {
    expect(JSON.stringify(buildApprovalStatement(input))).toBe(
      JSON.stringify({
        _type: 'https://in-toto.io/Statement/v1',
        subject: [{ name: 'fraud-detector@m92', digest: { sha256: MANIFEST_DIGEST } }],
        predicateType: APPROVAL_PREDICATE_V1,
        predicate: {
          decision: 'approve',
          role: 'privacy',
          reviewer: ada.keyId,
          comment: 'Deletion requests up to 2026-10-31 honoured.',
          conditions: ['re-review if the training data changes'],
          policy: { digest: { sha256: POLICY_DIGEST } },
          reviewedAt: '2026-11-03T09:30:00Z',
          expiresAt: '2027-02-01T00:00:00Z',
        },
      }),
    );
  });

  it('reads back what it builds', () => {
    expect(parseApprovalStatement(buildApprovalStatement(input))).toEqual({
      subjectName: 'fraud-detector@m92',
      manifestDigest: MANIFEST_DIGEST,
      predicate: {
        decision: 'approve',
        role: 'privacy',
        reviewer: ada.keyId,
        comment: 'Deletion requests up to 2026-10-31 honoured.',
        conditions: ['re-review if the training data changes'],
        policyDigest: POLICY_DIGEST,
        reviewedAt: '2026-11-03T09:30:00Z',
        expiresAt: '2027-02-01T00:00:00Z',
      },
      unknownFields: [],
    });
  });

  it('omits comment and expiresAt when there are none, writes conditions always, and reads them back as null and []', () => {
    const built = buildApprovalStatement({ ...input, comment: null, conditions: [], expiresAt: null });
    const predicate = built['predicate'] as JsonObject;
    expect(Object.keys(predicate)).toEqual(['decision', 'role', 'reviewer', 'conditions', 'policy', 'reviewedAt']);
    expect(parseApprovalStatement(built).predicate).toMatchObject({ comment: null, conditions: [], expiresAt: null });
  });

  it('reads comment, conditions and expiresAt written as null by other tools', () => {
    const statement = example((s) => {
      s.predicate['comment'] = null;
      s.predicate['conditions'] = null;
      s.predicate['expiresAt'] = null;
    });
    expect(parseApprovalStatement(statement).predicate).toMatchObject({ comment: null, conditions: [], expiresAt: null });
  });

  it('lists unknown fields by JSON path and keeps reading', () => {
    const statement = example((s) => {
      s['note'] = 'x';
      s.predicate['ticket'] = 'RAI-12';
      s.predicate['policy'] = { digest: { sha256: POLICY_DIGEST, blake3: 'ab' }, uri: 'file:board.json' };
    });
    expect(parseApprovalStatement(statement).unknownFields).toEqual(['$.note', '$.predicate.ticket', '$.predicate.policy.uri', '$.predicate.policy.digest.blake3']);
  });

  it.each<[string, (s: JsonObject & { predicate: JsonObject; subject: JsonObject[] }) => void, string]>([
    ['another statement type', (s) => (s['_type'] = 'https://in-toto.io/Statement/v0.1'), '$._type'],
    ['a release manifest, not an approval', (s) => (s['predicateType'] = 'https://countersign.dev/release/v1'), '$.predicateType: expected "https://countersign.dev/approval/v1"'],
    ['two subjects', (s) => s.subject.push({ name: 'x', digest: { sha256: MANIFEST_DIGEST } }), '$.subject: an approval names exactly one subject'],
    ['a subject without sha256', (s) => (s.subject[0]!['digest'] = { sha512: 'a'.repeat(128) }), '$.subject[0].digest: missing "sha256"'],
    ['an uppercase manifest digest', (s) => (s.subject[0]!['digest'] = { sha256: MANIFEST_DIGEST.toUpperCase() }), '$.subject[0].digest.sha256: expected 64 lowercase hex characters, got uppercase hex'],
    ['an unknown decision', (s) => (s.predicate['decision'] = 'approved'), '$.predicate.decision: expected one of approve, reject, abstain, got "approved"'],
    ['an empty role', (s) => (s.predicate['role'] = ' '), '$.predicate.role: expected a non-empty string'],
    ['a reviewer that is not a key ID', (s) => (s.predicate['reviewer'] = 'ada@laptop'), '$.predicate.reviewer: expected a key ID'],
    ['a missing policy digest', (s) => delete s.predicate['policy'], '$.predicate: missing required field "policy"'],
    ['a time with an offset', (s) => (s.predicate['reviewedAt'] = '2026-11-03T09:30:00+01:00'), '$.predicate.reviewedAt: expected an RFC 3339 UTC time'],
    ['an expiry before the review', (s) => (s.predicate['expiresAt'] = '2026-11-03T09:30:00Z'), '$.predicate.expiresAt: expires at 2026-11-03T09:30:00Z, not after it was reviewed'],
    ['an empty condition', (s) => (s.predicate['conditions'] = ['']), '$.predicate.conditions[0]: expected a non-empty string'],
  ])('refuses %s, naming the JSON path', (_, edit, message) => {
    expect(() => parseApprovalStatement(example(edit))).toThrow(message);
  });

  it('refuses to build what it could not read back', () => {
    expect(() => buildApprovalStatement({ ...input, role: '' })).toThrow('$.predicate.role');
    expect(() => buildApprovalStatement({ ...input, manifestDigest: `sha256:${MANIFEST_DIGEST}` })).toThrow('$.subject[0].digest.sha256');
  });
});
