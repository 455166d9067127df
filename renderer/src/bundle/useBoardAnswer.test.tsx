// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { ApprovalStatus, BoardSummary, Bridge, CommandName } from '../../../shared/api/contract';
import { checkApprovalEnvelope } from '../../../shared/approvals/check-approval';
import { evaluateBoard } from '../../../shared/approvals/evaluate-board';
import { MANIFEST_DIGEST, POLICY_DIGEST, signedApproval, testKey } from '../../../shared/approvals/test-keys';
import type { BoardPolicy } from '../../../shared/formats/board-policy';
import type { VerificationReport } from '../../../shared/verify/report';
import { buildTrustContext } from '../../../shared/verify/trust';
import { BridgeProvider } from '../bridge/BridgeContext';
import { useBoardAnswer } from './useBoardAnswer';

const SESSION = '6f1c1f5e-2a1b-4c3d-8e9f-0a1b2c3d4e5f';
const ada = testKey('ada');
const alan = testKey('alan');
const ci = testKey('ci');

const POLICY: BoardPolicy = {
  board: 'Review Board',
  version: 1,
  members: [
    { name: 'Ada Byron', roles: ['risk'], keys: [ada.openssh] },
    { name: 'Alan Turing', roles: ['privacy'], keys: [alan.openssh] },
  ],
  producers: [{ name: 'training CI', keys: [ci.openssh] }],
  revokedKeys: [],
  rules: { approvalsRequired: 2, rolesRequired: { risk: 1, privacy: 1 }, authorMayApprove: false, rejectionBlocks: true, maxApprovalAgeDays: 90 },
  unknownFields: [],
};
const BOARD: BoardSummary = { board: POLICY.board, version: 1, digest: POLICY_DIGEST, members: [], producers: [], revokedKeys: [], rules: POLICY.rules, importedAt: '2026-11-01T00:00:00Z' };

/** The approval status the host would return: a real evaluation of real signed approvals. */
function statusWith(approvers: { key: typeof ada; role: string }[]): ApprovalStatus {
  const trust = buildTrustContext({ source: 'board-file', board: POLICY });
  const approvals = approvers.map(({ key, role }, index) => checkApprovalEnvelope(`approvals/${index}.dsse.json`, signedApproval([key], { role, reviewedAt: '2026-11-03T09:30:00Z' }), trust));
  const evaluation = evaluateBoard({
    policy: POLICY,
    policyDigest: POLICY_DIGEST,
    manifest: { digest: MANIFEST_DIGEST, releaseName: 'fraud-detector', releaseVersion: 'm92', createdBy: ci.keyId, signerKeyIds: [ci.keyId] },
    approvals,
    now: new Date('2026-11-10T12:00:00Z'),
  });
  return {
    bundle: { path: '/b', format: 'directory' },
    verdict: 'verified',
    manifest: { digest: MANIFEST_DIGEST, releaseName: 'fraud-detector', releaseVersion: 'm92', createdBy: ci.keyId },
    policy: { board: POLICY.board, version: 1, digest: POLICY_DIGEST },
    files: [],
    evaluation,
  };
}

function report(verdict: VerificationReport['verdict'], path = '/b'): VerificationReport {
  return {
    bundle: { path, format: 'countersign', container: 'directory', fileCount: 3 },
    manifest: { digest: MANIFEST_DIGEST, releaseName: 'fraud-detector', releaseVersion: 'm92', predicateType: 'https://countersign.dev/release/v1', understood: true, createdBy: ci.keyId, createdAt: null, unknownFields: [], statement: {} },
    verdict,
    reasons: verdict === 'verified' ? ['Signed by training CI.'] : ['No key is trusted yet.'],
    findings: [],
    signatures: [],
    subjects: [],
    unexpectedBlobs: [],
    counts: { subjects: 0, checked: 0, ok: 0, mismatched: 0, notChecked: 0, bytesHashed: 0 },
    trust: { source: 'store', boardName: null, trustedKeyCount: 0 },
    verifiedAt: '2026-11-10T12:00:00Z',
  };
}

/** Answers as the host's contract does; the bundle ships no deployment file. Records every command. */
function host(board: BoardSummary | null, status: ApprovalStatus) {
  const commands: CommandName[] = [];
  const bridge: Bridge = {
    invoke: (async (command: CommandName) => {
      commands.push(command);
      switch (command) {
        case 'trust.board':
          return { ok: true, value: board };
        case 'approvals.evaluate':
          return { ok: true, value: status };
        case 'deployment.diff':
          return { ok: false, error: { code: 'not-found', message: 'This bundle has no deployment file.' } };
        default:
          return { ok: false, error: { code: 'internal', message: `unexpected ${command}` } };
      }
    }) as Bridge['invoke'],
    on: () => () => undefined,
  };
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <BridgeProvider bridge={bridge}>
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    </BridgeProvider>
  );
  return { commands, wrapper };
}

afterEach(cleanup);

describe('useBoardAnswer', () => {
  it('names the missing seat, and follows a decision the moment its status is shown: no second evaluation', async () => {
    const { commands, wrapper } = host(BOARD, statusWith([{ key: ada, role: 'risk' }]));
    const { result } = renderHook(() => useBoardAnswer(SESSION, report('verified')), { wrapper });
    await waitFor(() => expect(result.current.answer?.headline).toBe('Needs 1 more: privacy seat'));
    expect(result.current.answer?.reasons[0]).toBe('Integrity: verified. Signed by training CI.');

    act(() =>
      result.current.showStatus(
        statusWith([
          { key: ada, role: 'risk' },
          { key: alan, role: 'privacy' },
        ]),
      ),
    );
    await waitFor(() => expect(result.current.answer?.headline).toBe('Approved'));
    expect(commands.filter((command) => command === 'approvals.evaluate')).toHaveLength(1);
    // No deployment file: deployability stays unknown rather than guessed.
    await waitFor(() => expect(commands).toContain('deployment.diff'));
    expect(result.current.answer?.deployable).toBeNull();
  });

  it('cannot approve an untrusted bundle and does not judge its approvals', async () => {
    const { commands, wrapper } = host(null, statusWith([]));
    const { result } = renderHook(() => useBoardAnswer(SESSION, report('untrusted')), { wrapper });
    expect(result.current.answer?.headline).toBe('Cannot be approved: untrusted');
    await waitFor(() => expect(commands).toContain('trust.board'));
    expect(commands).not.toContain('approvals.evaluate');
  });

  it('is not judged without a board policy', async () => {
    const { wrapper } = host(null, statusWith([]));
    const { result } = renderHook(() => useBoardAnswer(SESSION, report('verified')), { wrapper });
    await waitFor(() => expect(result.current.answer?.headline).toBe('Not judged: no board policy imported'));
  });
});
