import { describe, expect, it } from 'vitest';
import { checkApprovalEnvelope } from '../approvals/check-approval';
import { evaluateBoard } from '../approvals/evaluate-board';
import type { BoardEvaluation } from '../approvals/evaluation';
import { MANIFEST_DIGEST, POLICY_DIGEST, signedApproval, testKey, type ApprovalOverrides, type TestKey } from '../approvals/test-keys';
import type { BoardPolicy } from '../formats/board-policy';
import { buildTrustContext } from '../verify/trust';
import { boardAnswer } from './board-answer';

// Real evaluations of real signed approvals, so the answer is tested against what the board rules say.

const ada = testKey('ada');
const alan = testKey('alan');
const grace = testKey('grace');
const ci = testKey('ci');
const NOW = new Date('2026-11-10T12:00:00Z');

function policy(rules: Partial<BoardPolicy['rules']> = {}): BoardPolicy {
  return {
    board: 'Responsible AI Review Board',
    version: 1,
    members: [
      { name: 'Ada Byron', roles: ['risk'], keys: [ada.openssh] },
      { name: 'Alan Turing', roles: ['privacy', 'ml-lead'], keys: [alan.openssh] },
      { name: 'Grace Hopper', roles: ['risk', 'privacy'], keys: [grace.openssh] },
    ],
    producers: [{ name: 'training CI', keys: [ci.openssh] }],
    revokedKeys: [],
    rules: { approvalsRequired: 2, rolesRequired: { risk: 1, privacy: 1 }, authorMayApprove: false, rejectionBlocks: true, maxApprovalAgeDays: 90, ...rules },
    unknownFields: [],
  };
}

function evaluate(decisions: { by: TestKey; overrides: ApprovalOverrides }[], board: BoardPolicy = policy()): BoardEvaluation {
  const trust = buildTrustContext({ source: 'board-file', board });
  const approvals = decisions.map(({ by, overrides }, index) =>
    checkApprovalEnvelope(`approvals/${index + 1}.dsse.json`, signedApproval([by], { reviewedAt: '2026-11-03T09:30:00Z', ...overrides }), trust),
  );
  return evaluateBoard({
    policy: board,
    policyDigest: POLICY_DIGEST,
    manifest: { digest: MANIFEST_DIGEST, releaseName: 'fraud-detector', releaseVersion: 'm92', createdBy: ci.keyId, signerKeyIds: [ci.keyId] },
    approvals,
    now: NOW,
  });
}

const VERIFIED = ['Signed by training CI; 6 of 6 subjects checked against their blobs, all match.'];

describe('boardAnswer', () => {
  it('names the one empty seat when one approval is missing, with integrity as the first reason', () => {
    const answer = boardAnswer({ verdict: 'verified', verdictReasons: VERIFIED, evaluation: evaluate([{ by: ada, overrides: { role: 'risk' } }]) });
    expect(answer.kind).toBe('needs-more');
    expect(answer.headline).toBe('Needs 1 more: privacy seat');
    expect(answer.reasons[0]).toBe(`Integrity: verified. ${VERIFIED[0]!}`);
    expect(answer.reasons).toContain('1 of 2 required approvals by distinct members.');
  });

  it('names both seats when nobody has approved yet', () => {
    const answer = boardAnswer({ verdict: 'verified', verdictReasons: VERIFIED, evaluation: evaluate([]) });
    expect(answer.headline).toBe('Needs 2 more: risk and privacy seats');
  });

  it('counts approvals beyond the seats when the policy asks for more', () => {
    const evaluation = evaluate([{ by: ada, overrides: { role: 'risk' } }, { by: alan, overrides: { role: 'privacy' } }], policy({ approvalsRequired: 3 }));
    expect(boardAnswer({ verdict: 'verified', verdictReasons: VERIFIED, evaluation }).headline).toBe('Needs 1 more approval');
  });

  it("is blocked by a member's rejection, named", () => {
    const evaluation = evaluate([
      { by: ada, overrides: { role: 'risk' } },
      { by: grace, overrides: { role: 'privacy', decision: 'reject' } },
    ]);
    const answer = boardAnswer({ verdict: 'verified', verdictReasons: VERIFIED, evaluation });
    expect(answer.kind).toBe('blocked');
    expect(answer.headline).toBe("Blocked by Grace Hopper's rejection");
  });

  it('is approved when every rule holds, and says whether the known deployment may ship it', () => {
    const evaluation = evaluate([
      { by: ada, overrides: { role: 'risk' } },
      { by: alan, overrides: { role: 'privacy' } },
    ]);
    expect(boardAnswer({ verdict: 'verified', verdictReasons: VERIFIED, evaluation })).toMatchObject({ kind: 'approved', headline: 'Approved', deployable: null });
    const deployable = boardAnswer({ verdict: 'verified', verdictReasons: VERIFIED, evaluation, deployment: { verdict: 'deployable', reasons: [] } });
    expect(deployable).toMatchObject({ headline: 'Approved and deployable', deployable: true });
    const blocked = boardAnswer({ verdict: 'verified', verdictReasons: VERIFIED, evaluation, deployment: { verdict: 'blocked', reasons: ['serve is deployed by the tag latest.'] } });
    expect(blocked).toMatchObject({ headline: 'Approved, but the deployment is blocked', deployable: false });
    expect(blocked.reasons).toContain('serve is deployed by the tag latest.');
  });

  it('cannot approve a tampered bundle, however many approvals it carries; the failing file is the first reason', () => {
    const evaluation = evaluate([
      { by: ada, overrides: { role: 'risk' } },
      { by: alan, overrides: { role: 'privacy' } },
    ]);
    const answer = boardAnswer({ verdict: 'tampered', verdictReasons: ['artifacts/model/fraud-m92.onnx does not match its pinned sha256.'], evaluation });
    expect(answer).toMatchObject({ kind: 'cannot-approve', headline: 'Cannot be approved: tampered' });
    expect(answer.reasons).toEqual(['Integrity: tampered. artifacts/model/fraud-m92.onnx does not match its pinned sha256.']);
  });

  it('cannot approve an untrusted bundle, and says why', () => {
    const answer = boardAnswer({ verdict: 'untrusted', verdictReasons: ['No key is trusted yet.'], evaluation: null });
    expect(answer.headline).toBe('Cannot be approved: untrusted');
    expect(answer.reasons[0]).toBe('Integrity: untrusted. No key is trusted yet.');
  });

  it('does not judge a verified bundle when no board policy is imported', () => {
    const answer = boardAnswer({ verdict: 'verified', verdictReasons: VERIFIED, evaluation: null });
    expect(answer).toMatchObject({ kind: 'not-judged', headline: 'Not judged: no board policy imported' });
  });

  it('says which other rule fails when the quorum is met yet the release is not approved', () => {
    const evaluation = evaluate([
      { by: ada, overrides: { role: 'risk' } },
      { by: alan, overrides: { role: 'privacy' } },
    ]);
    const failing = { ...evaluation, approved: false, rules: evaluation.rules.map((rule) => (rule.id === 'approval-age' ? { ...rule, met: false, summary: '1 approval is too old: renew or withdraw them.' } : rule)) };
    expect(boardAnswer({ verdict: 'verified', verdictReasons: VERIFIED, evaluation: failing })).toMatchObject({
      kind: 'not-approved',
      headline: 'Not approved: 1 approval is too old: renew or withdraw them.',
    });
  });
});
