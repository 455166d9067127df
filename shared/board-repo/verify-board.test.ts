import { describe, expect, it } from 'vitest';
import { boardPaths } from './board-paths';
import {
  GENESIS_DIGEST,
  Machine,
  MANIFEST,
  OTHER_MANIFEST,
  ada,
  alan,
  approvalFile,
  boardObject,
  digestOf,
  endorsementFile,
  grace,
  mallory,
  newRemote,
  noticeFile,
  policyBytes,
  revocationFile,
} from './test-board';
import { fingerprintHexOf } from './member-keys';
import { revocationStatement } from './board-objects';
import { VerificationCache } from './verification-cache';

const codes = (board: { problems: { code: string }[] }) => board.problems.map((p) => p.code);

async function boardWithTwoApprovals() {
  const remote = newRemote();
  const adaMachine = new Machine(ada);
  const alanMachine = new Machine(alan);
  const [adaPath, adaBytes] = approvalFile(ada);
  const [alanPath, alanBytes] = approvalFile(alan, { role: 'privacy' });
  adaMachine.queue.set(adaPath, adaBytes);
  await adaMachine.sync(remote);
  alanMachine.queue.set(alanPath, alanBytes);
  await alanMachine.sync(remote);
  await adaMachine.sync(remote); // Ada cosigns Alan's head.
  return { remote, adaMachine, alanMachine, adaPath, alanPath };
}

describe('a board shared through an untrusted repository', () => {
  it('accepts what members published, with each log cosigned by the other', async () => {
    const { remote, adaPath, alanPath } = await boardWithTwoApprovals();
    const fresh = new Machine(null).view(remote);
    expect(codes(fresh)).toEqual([]);
    expect(fresh.chain.map((link) => link.version)).toEqual([1]);
    expect(fresh.approvals.get(MANIFEST)?.map((a) => a.path).sort()).toEqual([adaPath, alanPath].sort());
    const adaLog = fresh.logs.get(fingerprintHexOf(ada.keyId))!;
    const alanLog = fresh.logs.get(fingerprintHexOf(alan.keyId))!;
    expect(adaLog.leaves).toEqual([adaPath]);
    expect(alanLog.cosignatures.map((c) => c.witnessName)).toEqual(['Ada Byron']);
    expect(adaLog.cosignatures.map((c) => c.witnessName)).toEqual(['Alan Turing']);
  });

  it("keeps a member's log valid when it lists a release's lineage file, and names the file once deleted", async () => {
    const remote = newRemote();
    const adaMachine = new Machine(ada);
    const lineagePath = `releases/${MANIFEST}/lineage.json`;
    adaMachine.queue.set(lineagePath, new TextEncoder().encode('{"nodes":[]}'));
    await adaMachine.sync(remote);
    const fresh = new Machine(null).view(remote);
    expect(codes(fresh)).toEqual([]);
    expect(fresh.logs.get(fingerprintHexOf(ada.keyId))!.leaves).toEqual([lineagePath]);
    remote.delete(lineagePath);
    expect(codes(new Machine(null).view(remote))).toEqual(['log-lists-missing']);
  });

  it('restores a deleted rejection from a machine that had it, and a fresh machine sees it was deleted', async () => {
    const { remote, adaMachine, alanPath } = await boardWithTwoApprovals();
    remote.delete(alanPath);
    const fresh = new Machine(null).view(remote);
    expect(fresh.problems.find((p) => p.code === 'log-lists-missing')?.message).toMatch(/Alan Turing's log lists approvals\/.* deleted/);
    const seen = await adaMachine.sync(remote);
    expect(seen.problems.find((p) => p.path === alanPath)?.message).toMatch(/missing on the remote; restored from this computer/);
    expect(remote.has(alanPath)).toBe(true);
    expect(codes(new Machine(null).view(remote))).toEqual([]);
  });

  it('refuses a forged, an edited and a moved approval, and takes nothing from them', async () => {
    const { remote } = await boardWithTwoApprovals();
    const [forgedPath, forged] = approvalFile(mallory, { role: 'risk' });
    const [gracePath, graceBytes] = approvalFile(grace, { role: 'ml-lead' });
    const edited = new TextEncoder().encode(new TextDecoder().decode(graceBytes).replace('"sig":"', '"sig":"A'));
    const [, moved] = approvalFile(ada, { manifestDigest: OTHER_MANIFEST });
    const movedPath = boardPaths.approval(MANIFEST, digestOf(moved));
    remote.set(forgedPath, forged);
    remote.set(gracePath, edited);
    remote.set(movedPath, moved);
    const view = new Machine(null).view(remote);
    expect(view.problems.find((p) => p.path === forgedPath)?.code).toBe('bad-signature');
    expect(view.problems.find((p) => p.path === gracePath)?.code).toBe('name-mismatch');
    expect(view.problems.find((p) => p.path === movedPath)?.code).toBe('approval-moved');
    expect(view.approvals.get(MANIFEST)).toHaveLength(2);
    for (const path of [forgedPath, gracePath, movedPath]) expect(view.accepted.has(path)).toBe(false);
  });

  it('puts a new policy in force only with a quorum of the old one, and never rolls back', async () => {
    const remote = newRemote();
    const v2 = policyBytes(2, [
      ['Ada Byron', ada, ['risk']],
      ['Alan Turing', alan, ['privacy']],
    ]);
    remote.set(boardPaths.policy(2, digestOf(v2)), v2);
    const [onePath, one] = endorsementFile(ada, v2, 2);
    remote.set(onePath, one);
    expect(new Machine(null).view(remote).chain.map((l) => l.version)).toEqual([1]);
    expect(new Machine(null).view(remote).pending).toEqual([{ version: 2, digest: digestOf(v2), endorsedBy: ['Ada Byron'], needed: 2 }]);
    expect(codes(new Machine(null).view(remote))).toEqual([]);

    const [twoPath, two] = endorsementFile(alan, v2, 2);
    remote.set(twoPath, two);
    const machine = new Machine(grace);
    const board = await machine.sync(remote);
    expect(board.chain.map((l) => [l.version, l.endorsedBy])).toEqual([[1, []], [2, ['Ada Byron', 'Alan Turing']]]);

    // The host rolls the policy back by deleting the endorsements: this machine keeps version 2.
    remote.delete(onePath);
    remote.delete(twoPath);
    const after = machine.view(remote);
    expect(after.chain.map((l) => l.version)).toEqual([1, 2]);
    expect(after.restore.has(onePath) && after.restore.has(twoPath)).toBe(true);
  });

  it('stays on the parent when two successors each have a quorum', () => {
    const remote = newRemote();
    for (const roles of [['risk'], ['audit']]) {
      const v2 = policyBytes(2, [
        ['Ada Byron', ada, roles],
        ['Alan Turing', alan, ['privacy']],
      ]);
      remote.set(boardPaths.policy(2, digestOf(v2)), v2);
      for (const key of [ada, alan]) remote.set(...endorsementFile(key, v2, 2));
    }
    const view = new Machine(null).view(remote);
    expect(view.chain.map((l) => l.version)).toEqual([1]);
    expect(codes(view)).toContain('competing-successors');
  });

  it('detects an edited checkpoint and a clean rollback of one member\'s log', async () => {
    const { remote, adaMachine } = await boardWithTwoApprovals();
    const alanHex = fingerprintHexOf(alan.keyId);
    const checkpoint = boardPaths.logCheckpoint(alanHex, 1);
    const edited = new TextEncoder().encode(new TextDecoder().decode(remote.get(checkpoint)!).replace(/\n1\n/, '\n2\n'));
    remote.set(checkpoint, edited);
    expect(new Machine(null).view(remote).problems.find((p) => p.code === 'log-broken')?.message).toMatch(/Alan Turing's log/);
    const seen = adaMachine.view(remote);
    expect(seen.problems.find((p) => p.path === checkpoint)?.code).toBe('changed-on-remote');

    // A clean rollback: the newest part of the log removed altogether.
    remote.delete(checkpoint);
    remote.delete(boardPaths.logLeaves(alanHex, 1));
    const rolledBack = adaMachine.view(remote);
    expect(rolledBack.restore.has(checkpoint)).toBe(true);
    expect(rolledBack.logs.get(alanHex)?.size).toBe(1);
  });

  it('uses nothing from a swapped board', async () => {
    const { remote } = await boardWithTwoApprovals();
    const swapped = new Map<string, Uint8Array>();
    const other = policyBytes(1, [
      ['Mallory', mallory, ['risk']],
      ['Ada Byron', ada, ['risk']],
    ]);
    swapped.set(boardPaths.policy(1, digestOf(other)), other);
    const view = new Machine(null).view(swapped);
    expect(codes(view)).toEqual(['genesis-mismatch']);
    expect(view.accepted.size).toBe(0);
    expect(remote.size).toBeGreaterThan(swapped.size);
  });

  it('honours a self-revocation, which only the key itself can make; its earlier decisions stay on the board', async () => {
    const remote = newRemote();
    remote.set(...revocationFile(alan));
    remote.set(...approvalFile(alan, { role: 'privacy' }));
    // Revoking another's key is a policy change, not a revocation: Mallory cannot revoke Ada.
    const forged = boardObject(mallory, revocationStatement({ board: GENESIS_DIGEST, key: ada.keyId, revokedAt: '2026-11-30T10:00:00Z', reason: null }));
    const forgedPath = boardPaths.revocation(digestOf(forged));
    remote.set(forgedPath, forged);
    const view = new Machine(null).view(remote);
    expect([...view.revocations.keys()]).toEqual([alan.keyId]);
    // The decision stays (it was signed by a member); the evaluation, which knows the revocation, counts it for nothing.
    expect(view.approvals.get(MANIFEST)?.map((approval) => approval.reviewerKeyId)).toEqual([alan.keyId]);
    expect(view.problems.find((p) => p.path === forgedPath)?.code).toBe('bad-signature');
  });

  it('keeps notices signed by members, and ignores junk without deleting it', () => {
    const remote = newRemote();
    const [noticePath, notice] = noticeFile(grace, { node: 'transactions_q1' });
    remote.set(noticePath, notice);
    remote.set('README.md', new TextEncoder().encode('hello'));
    remote.set(...noticeFile(mallory, { subject: MANIFEST }));
    const view = new Machine(null).view(remote);
    expect(view.notices.map((n) => [n.issuerName, n.target])).toEqual([['Grace Hopper', { node: 'transactions_q1' }]]);
    expect(view.junk).toEqual(['README.md']);
    expect(codes(view)).toEqual(['bad-signature']);
    expect(GENESIS_DIGEST).toHaveLength(64);
  });
});

/** The path of the approval signed by `keyId` on the remote. */
function boardWithApprovalsPaths(remote: ReadonlyMap<string, Uint8Array>, keyId: string): string {
  const found = [...remote].find(([path, bytes]) => path.startsWith('approvals/') && new TextDecoder().decode(bytes).includes(keyId));
  if (found === undefined) throw new Error(`no approval by ${keyId}`);
  return found[0];
}

describe('verifying each object once', () => {
  const checked = (machine: Machine) => machine.cache.counts.signaturesChecked;

  it('checks no signature and hashes no leaf when nothing is new, and one signature for one new approval', async () => {
    const { remote, adaMachine } = await boardWithTwoApprovals();
    const before = { ...adaMachine.cache.counts };
    expect(codes(adaMachine.view(remote))).toEqual([]);
    expect(adaMachine.cache.counts).toEqual(before);

    const [gracePath, graceBytes] = approvalFile(grace, { role: 'ml-lead' });
    remote.set(gracePath, graceBytes);
    const view = adaMachine.view(remote);
    expect(view.approvals.get(MANIFEST)?.map((a) => a.path)).toContain(gracePath);
    expect(checked(adaMachine) - before.signaturesChecked).toBe(1);
    expect(adaMachine.cache.counts.leavesHashed).toBe(before.leavesHashed);
  });

  it('extends a log by hashing only its new leaves', async () => {
    const { remote, adaMachine } = await boardWithTwoApprovals();
    const [secondPath, second] = approvalFile(ada, { manifestDigest: OTHER_MANIFEST });
    adaMachine.queue.set(secondPath, second);
    const hashedBefore = adaMachine.cache.counts.leavesHashed;
    await adaMachine.sync(remote);
    // The one new leaf of Ada's log, hashed once (the second pass after the write finds its frontier cached).
    expect(adaMachine.cache.counts.leavesHashed - hashedBefore).toBe(1);
    expect(adaMachine.view(remote).logs.get(fingerprintHexOf(ada.keyId))?.size).toBe(2);
  });

  it('catches an edited, a forged and a moved object with every signature already cached', async () => {
    const { remote, adaMachine } = await boardWithTwoApprovals();
    // A machine that accepted nothing yet but holds Ada's cache: only the bytes' digests can answer from it.
    const warm = new Machine(null, adaMachine.cache);
    const alanHex = fingerprintHexOf(alan.keyId);
    const checkpoint = boardPaths.logCheckpoint(alanHex, 1);
    remote.set(checkpoint, new TextEncoder().encode(new TextDecoder().decode(remote.get(checkpoint)!).replace(/\n1\n/, '\n2\n')));
    const adaPath = boardWithApprovalsPaths(remote, ada.keyId);
    const adaBytes = remote.get(adaPath)!;
    const edited = new TextEncoder().encode(new TextDecoder().decode(adaBytes).replace('"sig":"', '"sig":"A'));
    remote.set(adaPath, edited);
    const movedPath = boardPaths.approval(OTHER_MANIFEST, digestOf(adaBytes));
    remote.set(movedPath, adaBytes);
    const view = warm.view(remote);
    expect(view.problems.find((p) => p.path === adaPath)?.code).toBe('name-mismatch');
    expect(view.problems.find((p) => p.path === movedPath)?.code).toBe('approval-moved');
    expect(view.problems.find((p) => p.code === 'log-broken')?.message).toMatch(/Alan Turing's log/);
    for (const path of [adaPath, movedPath, checkpoint]) expect(view.accepted.has(path)).toBe(false);
    // The machine that accepted them keeps its copies and writes them back.
    const seen = adaMachine.view(remote);
    expect(seen.problems.filter((p) => p.code === 'changed-on-remote').map((p) => p.path).sort()).toEqual([adaPath, checkpoint].sort());
  });

  it("stops counting a notice once its key is revoked, without checking the notice's signature again", async () => {
    const remote = newRemote();
    const [noticePath, notice] = noticeFile(grace, { node: 'transactions_q1' });
    remote.set(noticePath, notice);
    const machine = new Machine(null);
    expect(machine.view(remote).notices.map((n) => n.path)).toEqual([noticePath]);
    const before = checked(machine);
    remote.set(...revocationFile(grace));
    const after = machine.view(remote);
    expect([...after.revocations.keys()]).toEqual([grace.keyId]);
    expect(after.notices).toEqual([]);
    expect(after.problems.find((p) => p.path === noticePath)?.code).toBe('bad-signature');
    expect(checked(machine) - before).toBe(1); // the revocation alone
  });

  it('re-judges cached objects under a rotated policy', async () => {
    const remote = newRemote();
    const [noticePath, notice] = noticeFile(grace, { subject: MANIFEST });
    remote.set(noticePath, notice);
    const machine = new Machine(null);
    expect(machine.view(remote).notices).toHaveLength(1);
    const v2 = policyBytes(
      2,
      [
        ['Ada Byron', ada, ['risk']],
        ['Alan Turing', alan, ['privacy']],
        ['Grace Hopper', grace, ['ml-lead']],
      ],
      { revokedKeys: [grace.keyId] },
    );
    remote.set(boardPaths.policy(2, digestOf(v2)), v2);
    for (const key of [ada, alan]) remote.set(...endorsementFile(key, v2, 2));
    const before = checked(machine);
    const view = machine.view(remote);
    expect(view.chain.map((link) => link.version)).toEqual([1, 2]);
    expect(view.notices).toEqual([]);
    expect(checked(machine) - before).toBe(2); // the two endorsements
  });

  it('reads a cache written by another run, and starts empty from a damaged one', async () => {
    const { remote, adaMachine } = await boardWithTwoApprovals();
    const copy = VerificationCache.parse(adaMachine.cache.serialize());
    const restarted = new Machine(null, copy);
    expect(codes(restarted.view(remote))).toEqual([]);
    expect(copy.counts.signaturesChecked).toBe(0);
    const damaged = VerificationCache.parse(new TextEncoder().encode('{"format":"countersign-board-verified/v1","signatures":'));
    expect(damaged.size).toBe(0);
    const forged = VerificationCache.parse(new TextEncoder().encode(JSON.stringify({ format: 'countersign-board-verified/v1', signatures: { 'not a digest': true } })));
    expect(forged.size).toBe(0);
  });
});
