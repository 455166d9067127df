import { describe, it, expect } from 'vitest';
import type { BoardMember, BoardPolicy } from '../formats/board-policy';
import { buildTrustContext } from '../verify/trust';
import { checkApprovalEnvelope } from './check-approval';
import { evaluateBoard, type BoardManifestFacts } from './evaluate-board';
import { boardEvaluationSchema, type ApprovalOutcome, type BoardEvaluation, type BoardRuleId } from './evaluation';
import { MANIFEST_DIGEST, POLICY_DIGEST, sha256Hex, signedApproval, testKey, type ApprovalOverrides, type TestKey } from './test-keys';

const ada = testKey('ada');
const adaSecond = testKey('ada-second');
const alan = testKey('alan');
const ben = testKey('ben');
const ci = testKey('ci');
const eve = testKey('eve');

const NOW = new Date('2026-11-10T12:00:00Z');
const RECENT = '2026-11-03T09:30:00Z';

const ADA: BoardMember = { name: 'Ada Byron', roles: ['risk'], keys: [ada.openssh] };
const ALAN: BoardMember = { name: 'Alan Turing', roles: ['privacy', 'ml-lead'], keys: [alan.openssh] };
const BEN: BoardMember = { name: 'Ben Okafor', roles: ['risk'], keys: [ben.openssh] };

function basePolicy(): BoardPolicy {
  return {
    board: 'Responsible AI Review Board',
    version: 3,
    members: [ADA, ALAN, BEN],
    producers: [{ name: 'training CI', keys: [ci.openssh] }],
    revokedKeys: [],
    rules: { approvalsRequired: 2, rolesRequired: { risk: 1, privacy: 1 }, authorMayApprove: false, rejectionBlocks: true, maxApprovalAgeDays: 90 },
    unknownFields: [],
  };
}

interface ApprovalSpec extends ApprovalOverrides {
  /** Signers of the envelope; the first is the reviewer unless `reviewer` says otherwise. */
  by: TestKey[];
}

interface BoardCase {
  name: string;
  policy?: (policy: BoardPolicy) => BoardPolicy;
  manifest?: Partial<BoardManifestFacts>;
  approvals: ApprovalSpec[];
  approved: boolean;
  outcomes: ApprovalOutcome[];
  /** The rules not met. */
  failing?: BoardRuleId[];
  /** `role seat: member` for every seat. */
  seats?: string[];
  counted?: string[];
}

const approve = (key: TestKey, overrides: ApprovalOverrides = {}): ApprovalSpec => ({ by: [key], ...overrides });
const reject = (key: TestKey, overrides: ApprovalOverrides = {}): ApprovalSpec => ({ by: [key], decision: 'reject', ...overrides });

const withRules = (rules: Partial<BoardPolicy['rules']>) => (policy: BoardPolicy): BoardPolicy => ({ ...policy, rules: { ...policy.rules, ...rules } });

const cases: BoardCase[] = [
  {
    name: 'quorum met exactly: two members fill the two seats',
    approvals: [approve(ada, { role: 'risk' }), approve(alan, { role: 'privacy' })],
    approved: true,
    outcomes: ['counted', 'counted'],
    seats: ['risk 1: Ada Byron', 'privacy 1: Alan Turing'],
    counted: ['Ada Byron', 'Alan Turing'],
  },
  {
    name: "one key's approval given twice counts once",
    approvals: [approve(ada), approve(ada), approve(alan, { role: 'privacy' })],
    policy: withRules({ approvalsRequired: 3, rolesRequired: {} }),
    approved: false,
    outcomes: ['counted', 'duplicate', 'counted'],
    failing: ['approvals-required'],
  },
  {
    name: "one envelope carrying the same key's signature twice counts once",
    approvals: [{ by: [ada, ada] }],
    policy: withRules({ approvalsRequired: 2, rolesRequired: {} }),
    approved: false,
    outcomes: ['counted'],
    failing: ['approvals-required'],
  },
  {
    name: 'one key listed as OpenSSH and as PEM is one member',
    policy: (p) => ({ ...withRules({ approvalsRequired: 2, rolesRequired: {} })(p), members: [{ ...ADA, keys: [ada.openssh, ada.pem] }, ALAN, BEN] }),
    approvals: [approve(ada), approve(ada, { reviewedAt: '2026-11-04T10:00:00Z', comment: 'again' })],
    approved: false,
    outcomes: ['duplicate', 'counted'],
    failing: ['approvals-required'],
    counted: ['Ada Byron'],
  },
  {
    name: 'one key listed for two members (OpenSSH for one, PEM for the other) approves for neither',
    policy: (p) => ({ ...withRules({ approvalsRequired: 1, rolesRequired: {} })(p), members: [ADA, { ...BEN, keys: [ada.pem] }] }),
    approvals: [approve(ada)],
    approved: false,
    outcomes: ['invalid'],
    failing: ['approvals-required'],
  },
  {
    name: 'two keys of one member count as one member',
    policy: (p) => ({ ...withRules({ approvalsRequired: 2, rolesRequired: {} })(p), members: [{ ...ADA, keys: [ada.openssh, adaSecond.openssh] }, ALAN, BEN] }),
    approvals: [approve(ada), approve(adaSecond)],
    approved: false,
    outcomes: ['counted', 'duplicate'],
    failing: ['approvals-required'],
  },
  {
    name: 'a member holding two required roles fills one seat',
    policy: (p) => ({ ...withRules({ approvalsRequired: 1 })(p), members: [ADA, { ...ALAN, roles: ['risk', 'privacy'] }, BEN] }),
    approvals: [approve(alan, { role: 'privacy' })],
    approved: false,
    outcomes: ['counted'],
    failing: ['roles-required'],
    seats: ['risk 1: empty', 'privacy 1: Alan Turing'],
  },
  {
    name: 'seats are matched, not filled greedily: Ada (risk and privacy) takes privacy so that Ben (risk) can sit',
    policy: (p) => ({ ...p, members: [{ ...ADA, roles: ['risk', 'privacy'] }, BEN, ALAN] }),
    approvals: [approve(ada, { role: 'risk' }), approve(ben, { role: 'risk' })],
    approved: true,
    outcomes: ['counted', 'counted'],
    seats: ['risk 1: Ben Okafor', 'privacy 1: Ada Byron'],
  },
  {
    name: 'the author approving counts for nothing',
    manifest: { createdBy: ada.keyId, signerKeyIds: [ada.keyId] },
    approvals: [approve(ada), approve(alan, { role: 'privacy' })],
    approved: false,
    outcomes: ['author', 'counted'],
    failing: ['approvals-required', 'roles-required'],
  },
  {
    name: 'the author approving counts when the policy allows it',
    policy: withRules({ authorMayApprove: true }),
    manifest: { createdBy: ada.keyId, signerKeyIds: [ada.keyId] },
    approvals: [approve(ada), approve(alan, { role: 'privacy' })],
    approved: true,
    outcomes: ['counted', 'counted'],
  },
  {
    name: 'an approval with a revoked key counts for nothing',
    policy: (p) => ({ ...p, revokedKeys: [ada.keyId] }),
    approvals: [approve(ada), approve(alan, { role: 'privacy' })],
    approved: false,
    outcomes: ['revoked', 'counted'],
    failing: ['approvals-required', 'roles-required'],
  },
  {
    name: 'an expired approval does not count and fails the age rule',
    approvals: [approve(ada, { expiresAt: '2026-11-05T00:00:00Z' }), approve(alan, { role: 'privacy' }), approve(ben)],
    approved: false,
    outcomes: ['expired', 'counted', 'counted'],
    failing: ['approval-age'],
  },
  {
    name: 'an approval older than maxApprovalAgeDays does not count and fails the age rule',
    approvals: [approve(ada, { reviewedAt: '2026-08-01T00:00:00Z' }), approve(alan, { role: 'privacy' })],
    approved: false,
    outcomes: ['too-old', 'counted'],
    failing: ['approvals-required', 'roles-required', 'approval-age'],
  },
  {
    name: 'an approval exactly maxApprovalAgeDays old still counts',
    approvals: [approve(ada, { reviewedAt: '2026-08-12T12:00:00Z' }), approve(alan, { role: 'privacy' })],
    approved: true,
    outcomes: ['counted', 'counted'],
  },
  {
    name: 'a renewed approval replaces the too-old one',
    approvals: [approve(ada, { reviewedAt: '2026-08-01T00:00:00Z' }), approve(ada), approve(alan, { role: 'privacy' })],
    approved: true,
    outcomes: ['duplicate', 'counted', 'counted'],
  },
  {
    name: 'an approval of another manifest digest is stale and ignored',
    approvals: [approve(ada, { manifestDigest: sha256Hex('the previous manifest') }), approve(alan, { role: 'privacy' })],
    approved: false,
    outcomes: ['stale', 'counted'],
    failing: ['approvals-required', 'roles-required'],
  },
  {
    name: 'a rejection by a non-member is ignored',
    approvals: [approve(ada), approve(alan, { role: 'privacy' }), reject(eve)],
    approved: true,
    outcomes: ['counted', 'counted', 'non-member'],
  },
  {
    name: "a producer's approval is not a member's",
    policy: withRules({ approvalsRequired: 1, rolesRequired: {} }),
    approvals: [approve(ci)],
    approved: false,
    outcomes: ['non-member'],
    failing: ['approvals-required'],
  },
  {
    name: 'a rejection by a member blocks',
    approvals: [approve(ada), approve(alan, { role: 'privacy' }), reject(ben)],
    approved: false,
    outcomes: ['counted', 'counted', 'rejection'],
    failing: ['no-blocking-rejection'],
  },
  {
    name: 'a rejection by a member does not block when the policy says so',
    policy: withRules({ rejectionBlocks: false }),
    approvals: [approve(ada), approve(alan, { role: 'privacy' }), reject(ben)],
    approved: true,
    outcomes: ['counted', 'counted', 'rejection'],
  },
  {
    name: "a member's later rejection withdraws their approval",
    approvals: [approve(ada), approve(alan, { role: 'privacy' }), reject(ada, { reviewedAt: '2026-11-04T00:00:00Z' })],
    approved: false,
    outcomes: ['duplicate', 'counted', 'rejection'],
    failing: ['approvals-required', 'roles-required', 'no-blocking-rejection'],
  },
  {
    name: "a member's later approval lifts their rejection",
    approvals: [reject(ada), approve(alan, { role: 'privacy' }), approve(ada, { reviewedAt: '2026-11-04T00:00:00Z' })],
    approved: true,
    outcomes: ['duplicate', 'counted', 'counted'],
  },
  {
    name: 'a rejection made under another board policy still blocks',
    approvals: [approve(ada), approve(alan, { role: 'privacy' }), reject(ben, { policyDigest: sha256Hex('an older policy') })],
    approved: false,
    outcomes: ['counted', 'counted', 'rejection'],
    failing: ['no-blocking-rejection'],
  },
  {
    name: 'an abstention neither counts nor blocks',
    approvals: [approve(ada), approve(alan, { role: 'privacy' }), { by: [ben], decision: 'abstain' }],
    approved: true,
    outcomes: ['counted', 'counted', 'abstain'],
  },
  {
    name: 'an approval made under another board policy must be renewed',
    approvals: [approve(ada, { policyDigest: sha256Hex('an older policy') }), approve(alan, { role: 'privacy' })],
    approved: false,
    outcomes: ['policy-mismatch', 'counted'],
    failing: ['approvals-required', 'roles-required'],
  },
  {
    name: 'an approval naming a role the member does not hold does not count',
    approvals: [approve(ada, { role: 'privacy' }), approve(alan, { role: 'privacy' })],
    approved: false,
    outcomes: ['role-not-held', 'counted'],
    failing: ['approvals-required', 'roles-required'],
  },
  {
    name: 'an approval whose reviewer is not its signer is invalid',
    approvals: [approve(ada, { reviewer: ben.keyId }), approve(alan, { role: 'privacy' })],
    approved: false,
    outcomes: ['invalid', 'counted'],
    failing: ['approvals-required', 'roles-required'],
  },
  {
    name: "a stranger's approval claiming a member's key is invalid",
    approvals: [{ by: [eve], reviewer: ada.keyId }, approve(alan, { role: 'privacy' })],
    approved: false,
    outcomes: ['invalid', 'counted'],
    failing: ['approvals-required', 'roles-required'],
  },
  {
    name: 'an approval dated in the future does not count',
    approvals: [approve(ada, { reviewedAt: '2027-01-01T00:00:00Z' }), approve(alan, { role: 'privacy' })],
    approved: false,
    outcomes: ['invalid', 'counted'],
    failing: ['approvals-required', 'roles-required'],
  },
  {
    name: 'a manifest whose author is a key pinned on this machine, not on the board, fails manifest-signed',
    manifest: { createdBy: eve.keyId, signerKeyIds: [eve.keyId] },
    approvals: [approve(ada), approve(alan, { role: 'privacy' })],
    approved: false,
    outcomes: ['counted', 'counted'],
    failing: ['manifest-signed'],
  },
  {
    name: 'a manifest not signed by its author fails manifest-signed',
    manifest: { createdBy: ci.keyId, signerKeyIds: [ada.keyId] },
    approvals: [approve(ada), approve(alan, { role: 'privacy' })],
    approved: false,
    outcomes: ['counted', 'counted'],
    failing: ['manifest-signed'],
  },
  {
    name: 'a manifest whose author key is revoked fails manifest-signed',
    policy: (p) => ({ ...p, revokedKeys: [ci.keyId] }),
    approvals: [approve(ada), approve(alan, { role: 'privacy' })],
    approved: false,
    outcomes: ['counted', 'counted'],
    failing: ['manifest-signed'],
  },
];

function evaluate(testCase: Pick<BoardCase, 'policy' | 'manifest' | 'approvals'>): BoardEvaluation {
  const policy = (testCase.policy ?? ((p: BoardPolicy) => p))(basePolicy());
  const boardTrust = buildTrustContext({ source: 'board-file', board: policy });
  const approvals = testCase.approvals.map(({ by, ...overrides }, index) =>
    checkApprovalEnvelope(`approvals/${index + 1}.dsse.json`, signedApproval(by, { reviewedAt: RECENT, ...overrides }), boardTrust),
  );
  const manifest: BoardManifestFacts = {
    digest: MANIFEST_DIGEST,
    releaseName: 'fraud-detector',
    releaseVersion: 'm92',
    createdBy: ci.keyId,
    signerKeyIds: [ci.keyId],
    ...testCase.manifest,
  };
  return evaluateBoard({ policy, policyDigest: POLICY_DIGEST, manifest, approvals, now: NOW });
}

describe('board rules (FORMATS §6)', () => {
  describe.each(cases)('$name', (testCase) => {
    const evaluation = evaluate(testCase);

    it(`is ${testCase.approved ? 'approved' : 'not approved'}, failing exactly ${testCase.failing?.join(', ') || 'no rule'}`, () => {
      expect(evaluation.approved).toBe(testCase.approved);
      expect(evaluation.rules.filter((rule) => !rule.met).map((rule) => rule.id)).toEqual(testCase.failing ?? []);
    });

    it(`judges the approvals ${testCase.outcomes.join(', ')}`, () => {
      expect(evaluation.approvals.map((approval) => approval.outcome)).toEqual(testCase.outcomes);
      for (const approval of evaluation.approvals) expect(approval.reason).not.toBe('');
    });

    it('names every rule and fits the evaluation schema', () => {
      expect(evaluation.rules.map((rule) => rule.id)).toEqual(['release-intact', 'manifest-signed', 'approvals-required', 'roles-required', 'author-excluded', 'no-blocking-rejection', 'approval-age']);
      expect(boardEvaluationSchema.parse(evaluation)).toEqual(evaluation);
    });

    if (testCase.seats) {
      it(`seats ${testCase.seats.join(', ')}`, () => {
        expect(evaluation.seats.map((seat) => `${seat.role} ${seat.seat}: ${seat.filledBy ?? 'empty'}`)).toEqual(testCase.seats);
      });
    }
    if (testCase.counted) {
      it(`counts ${testCase.counted.join(', ')}`, () => {
        expect(evaluation.counted.map((entry) => entry.member)).toEqual(testCase.counted);
      });
    }
  });
});

describe('what the evaluation says in plain words', () => {
  it('counts members, not approvals, and names who fills which seat', () => {
    const evaluation = evaluate({ approvals: [approve(ada), approve(ada), approve(alan, { role: 'privacy' })] });
    const rule = (id: BoardRuleId) => evaluation.rules.find((r) => r.id === id)!;
    expect(rule('approvals-required').summary).toBe('2 of 2 required approvals by distinct members.');
    expect(rule('roles-required').details).toEqual(['risk seat 1: Ada Byron.', 'privacy seat 1: Alan Turing.']);
    expect(evaluation.seats[0]).toEqual({ role: 'risk', seat: 1, filledBy: 'Ada Byron', keyId: ada.keyId });
    expect(evaluation.approvals[1]!.reason).toBe('The same decision by Ada Byron as approvals/1.dsse.json; a member counts once.');
  });

  it('says what is missing: who could fill an empty seat', () => {
    const evaluation = evaluate({ approvals: [approve(ada)] });
    const rule = (id: BoardRuleId) => evaluation.rules.find((r) => r.id === id)!;
    expect(rule('approvals-required').details).toContain('Needs 1 more approval from Alan Turing, Ben Okafor.');
    expect(rule('roles-required').details).toContain('privacy seat 1: empty (needs an approval from Alan Turing).');
  });

  it('names the author and what was excluded', () => {
    const evaluation = evaluate({ manifest: { createdBy: ada.keyId, signerKeyIds: [ada.keyId] }, approvals: [approve(ada)] });
    expect(evaluation.author).toEqual({ keyId: ada.keyId, member: 'Ada Byron' });
    const rule = evaluation.rules.find((r) => r.id === 'author-excluded')!;
    expect(rule.summary).toContain('Ada Byron is the author');
    expect(rule.details).toEqual(['approvals/1.dsse.json by Ada Byron does not count.']);
  });

  it('excludes no member when a producer key created the manifest', () => {
    const evaluation = evaluate({ approvals: [] });
    expect(evaluation.author).toEqual({ keyId: ci.keyId, member: null });
    expect(evaluation.rules.find((r) => r.id === 'author-excluded')!.summary).toBe('The author signs with a producer key (training CI): no member is excluded.');
    expect(evaluation.rules.find((r) => r.id === 'manifest-signed')!.summary).toBe(`Signed by its author, training CI (producer) (${ci.keyId}).`);
  });

  it('names the rejecting member', () => {
    const evaluation = evaluate({ approvals: [reject(ben, { comment: 'Drift not assessed.' })] });
    const rule = evaluation.rules.find((r) => r.id === 'no-blocking-rejection')!;
    expect(rule.summary).toBe("Rejected by Ben Okafor: a member's rejection blocks the release.");
    expect(rule.details).toEqual(['Ben Okafor rejects: Drift not assessed.']);
  });

  it('keeps a tampered blob apart from the signatures: the release-intact rule fails, the author still signed', () => {
    const evaluation = evaluate({
      manifest: { createdBy: ci.keyId, signerKeyIds: [ci.keyId], contentProblem: 'model/fraud-m92.onnx differs from the digest the manifest pins.' },
      approvals: [approve(ada), approve(alan)],
    });
    expect(evaluation.approved).toBe(false);
    const rule = (id: BoardRuleId) => evaluation.rules.find((r) => r.id === id)!;
    expect(rule('release-intact')).toEqual(expect.objectContaining({ met: false, summary: "The release's files do not match its manifest: model/fraud-m92.onnx differs from the digest the manifest pins." }));
    expect(rule('manifest-signed').met).toBe(true);
  });
});
