import { execFileSync } from 'node:child_process';
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signEd25519, useEd25519Verifier } from '../../../shared/crypto/ed25519';
import { signedApproval, testKey, type TestKey } from '../../../shared/approvals/test-keys';
import { boardPaths } from '../../../shared/board-repo/board-paths';
import { sha256Hex } from '../../../shared/crypto/hash';
import { BoardService, type MemberSigner } from './board-service';

const encoder = new TextEncoder();
const names = ['Ada Byron', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra', 'Barbara Liskov'];
const keys = names.map((name) => testKey(name));
const POLICY = encoder.encode(
  JSON.stringify({
    board: 'Responsible AI Review Board',
    version: 1,
    members: names.map((name, i) => ({ name, roles: ['risk'], keys: [keys[i]!.openssh] })),
    rules: { approvalsRequired: 2, rolesRequired: {}, authorMayApprove: false, rejectionBlocks: true, maxApprovalAgeDays: 90 },
  }),
);
const GENESIS = sha256Hex(POLICY);
const MANIFEST = sha256Hex(encoder.encode('a manifest'));

let scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  scratch = [];
  useEd25519Verifier(null);
});

/** Counts every Ed25519 group equation checked anywhere in the process (OpenSSL through node:crypto does the work). */
function countEd25519Checks(): { readonly count: number } {
  const counter = { count: 0 };
  const spki = Buffer.from('302a300506032b6570032100', 'hex');
  useEd25519Verifier({
    prepareKey: (publicKey) => createPublicKey({ key: Buffer.concat([spki, publicKey]), format: 'der', type: 'spki' }),
    verify: (key, signature, message) => {
      counter.count++;
      return verify(null, message, key as KeyObject, signature);
    },
  });
  return counter;
}

/** Someone else's commit on the remote adding `files` (an ordinary, fast-forward push). */
function pushFiles(remote: string, files: ReadonlyMap<string, Uint8Array>): void {
  const work = join(tempDir('pusher'), 'work');
  execFileSync('git', ['clone', '--quiet', remote, work]);
  for (const [path, bytes] of files) {
    mkdirSync(join(work, ...path.split('/').slice(0, -1)), { recursive: true });
    writeFileSync(join(work, ...path.split('/')), bytes);
  }
  const git = (...args: string[]) => execFileSync('git', ['-C', work, '-c', 'user.name=pusher', '-c', 'user.email=pusher@example.invalid', ...args]);
  git('add', '-A');
  git('commit', '--quiet', '-m', 'more');
  git('push', '--quiet', 'origin', 'HEAD:main');
}

function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `countersign-board-${label}-`));
  scratch.push(dir);
  return dir;
}

function bareRemote(): string {
  const dir = join(tempDir('remote'), 'board.git');
  execFileSync('git', ['init', '--bare', '--quiet', '--initial-branch=main', dir]);
  return `file://${dir}`;
}

function signerOf(key: TestKey): MemberSigner {
  return { keyId: key.keyId, publicKey: key.publicKey, sign: async (message) => signEd25519(message, key.seed) };
}

function reviewer(index: number) {
  const key = keys[index]!;
  const dataDir = tempDir(`member${index}`);
  return { key, signer: signerOf(key), dataDir, service: new BoardService({ dataDir }) };
}

function approvalBy(key: TestKey): Uint8Array {
  return signedApproval([key], { manifestDigest: MANIFEST, policyDigest: GENESIS });
}

/** The host turned hostile: rewrites the branch with `edit` applied to a scratch clone, and force-pushes. */
function rewriteRemote(remote: string, edit: (workTree: string) => void): void {
  const work = join(tempDir('host'), 'work');
  execFileSync('git', ['clone', '--quiet', remote, work]);
  edit(work);
  const git = (...args: string[]) => execFileSync('git', ['-C', work, '-c', 'user.name=host', '-c', 'user.email=host@example.invalid', ...args]);
  git('add', '-A');
  git('commit', '--quiet', '--amend', '-m', 'rewritten');
  git('push', '--quiet', '--force', 'origin', 'HEAD:main');
}

describe('a board shared through a git remote', () => {
  it('is created, cloned with and without a pinned genesis, and carries approvals with cosigned logs', async () => {
    const remote = bareRemote();
    const [ada, alan, grace] = [reviewer(0), reviewer(1), reviewer(2)];
    const created = await ada.service.init(remote, POLICY, ada.signer);
    expect(created.outcome).toBe('synced');

    const pinned = await alan.service.clone(remote, { genesis: GENESIS, importedPolicyDigest: null }, [alan.key.keyId]);
    expect(pinned.settings).toMatchObject({ genesis: GENESIS, pinnedBy: 'genesis-flag', memberKeyId: alan.key.keyId });
    const onFirstUse = await grace.service.clone(remote, { genesis: null, importedPolicyDigest: null }, []);
    expect(onFirstUse.settings).toMatchObject({ genesis: GENESIS, pinnedBy: 'first-use', memberKeyId: null });

    await alan.service.queueApproval(MANIFEST, approvalBy(alan.key));
    const published = await alan.service.sync(alan.signer);
    expect(published).toMatchObject({ outcome: 'synced', cosigned: ['Ada Byron'] });
    expect(published.published).toHaveLength(1);
    await ada.service.sync(ada.signer);

    const seen = await grace.service.sync(null);
    expect(seen.problems).toEqual([]);
    const { board } = await grace.service.status();
    expect(board.approvals.get(MANIFEST)?.map((a) => a.reviewerKeyId)).toEqual([alan.key.keyId]);
    const alanLog = [...board.logs.values()].find((log) => log.memberName === 'Alan Turing')!;
    expect(alanLog.cosignatures.map((c) => c.witnessName)).toEqual(['Ada Byron']);
  });

  it('restores a rejection the host deleted with a forced push, and a fresh clone sees the deletion', async () => {
    const remote = bareRemote();
    const [ada, alan] = [reviewer(0), reviewer(1)];
    await ada.service.init(remote, POLICY, ada.signer);
    await alan.service.clone(remote, { genesis: GENESIS, importedPolicyDigest: null }, [alan.key.keyId]);
    const rejection = signedApproval([alan.key], { manifestDigest: MANIFEST, policyDigest: GENESIS, decision: 'reject' });
    const path = await alan.service.queueApproval(MANIFEST, rejection);
    await alan.service.sync(alan.signer);
    await ada.service.sync(ada.signer);

    rewriteRemote(remote, (work) => rmSync(join(work, ...path.split('/'))));
    const fresh = reviewer(2);
    await fresh.service.clone(remote, { genesis: GENESIS, importedPolicyDigest: null }, []);
    expect((await fresh.service.status()).board.approvals.get(MANIFEST)).toBeUndefined();

    const restored = await ada.service.sync(ada.signer);
    expect(restored.outcome).toBe('problems');
    expect(restored.problems.find((p) => p.path === path)?.message).toMatch(/missing on the remote; restored from this computer/);
    const again = await fresh.service.sync(null);
    expect(again.problems).toEqual([]);
    expect((await fresh.service.status()).board.approvals.get(MANIFEST)?.[0]?.path).toBe(path);
  });

  it('refuses a swapped board: nothing from it is accepted', async () => {
    const remote = bareRemote();
    const ada = reviewer(0);
    await ada.service.init(remote, POLICY, ada.signer);
    const other = encoder.encode(new TextDecoder().decode(POLICY).replace('Responsible AI Review Board', 'Another Board'));
    rewriteRemote(remote, (work) => {
      for (const entry of readdirSync(work)) if (entry !== '.git') rmSync(join(work, entry), { recursive: true });
      mkdirSync(join(work, 'policies'));
      writeFileSync(join(work, ...boardPaths.policy(1, sha256Hex(other)).split('/')), other);
    });
    const outcome = await ada.service.sync(ada.signer);
    expect(outcome.outcome).toBe('problems');
    expect(outcome.problems[0]?.code).toBe('genesis-mismatch');
    // Nothing of the other board was accepted; this board was put back.
    const { board } = await ada.service.status();
    expect(board.chain.map((link) => link.digest)).toEqual([GENESIS]);
    expect([...board.accepted.keys()].some((path) => path.includes(sha256Hex(other)))).toBe(false);
    const fresh = reviewer(3);
    await fresh.service.clone(remote, { genesis: GENESIS, importedPolicyDigest: null }, []);
    expect((await fresh.service.status()).board.chain).toHaveLength(1);
  });

  it('never pushes a queued object the board would refuse: it leaves the queue and the sync names it', async () => {
    const remote = bareRemote();
    const [ada, alan] = [reviewer(0), reviewer(1)];
    await ada.service.init(remote, POLICY, ada.signer);
    await alan.service.clone(remote, { genesis: GENESIS, importedPolicyDigest: null }, [alan.key.keyId]);
    const unreadable = await alan.service.enqueue(boardPaths.release(MANIFEST), encoder.encode('{"not": "a manifest"}'));
    const outsider = await alan.service.queueApproval(MANIFEST, signedApproval([testKey('Mallory')], { manifestDigest: MANIFEST, policyDigest: GENESIS }));
    const approval = await alan.service.queueApproval(MANIFEST, approvalBy(alan.key));

    const outcome = await alan.service.sync(alan.signer);
    expect(outcome.outcome).toBe('problems');
    expect(outcome.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'unreadable', path: unreadable, message: expect.stringMatching(/^Not published, and dropped from this computer's queue: .*not a release manifest/) }),
        expect.objectContaining({ code: 'bad-signature', path: outsider }),
      ]),
    );
    expect(outcome.problems).toHaveLength(2);
    expect(outcome.problems.every((found) => found.queued === true)).toBe(true);
    expect(outcome.queued).toBe(0);
    const onRemote = (await ada.service.sync(ada.signer)).board!;
    expect(onRemote.releases.has(MANIFEST)).toBe(false);
    expect(onRemote.approvals.get(MANIFEST)?.map((a) => a.reviewerKeyId)).toEqual([alan.key.keyId]);
    expect((await ada.service.sync(ada.signer)).problems).toEqual([]);
    expect(approval).toMatch(/^approvals\//);
  });

  it('keeps the queue when the remote cannot be reached, and says so', async () => {
    const remote = bareRemote();
    const ada = reviewer(0);
    await ada.service.init(remote, POLICY, ada.signer);
    rmSync(remote.slice('file://'.length), { recursive: true, force: true });
    await ada.service.queueApproval(MANIFEST, approvalBy(ada.key));
    const outcome = await ada.service.sync(ada.signer);
    expect(outcome).toMatchObject({ outcome: 'offline', queued: 1 });
    expect(outcome.detail).toMatch(/^The remote file:\/\/\S+ cannot be reached \(git: .+\)\. 1 object waits in the queue; nothing is lost\. Sync again\.$/);
  });

  it('converges when five reviewers push at once', async () => {
    const remote = bareRemote();
    const members = keys.map((_, i) => reviewer(i));
    await members[0]!.service.init(remote, POLICY, members[0]!.signer);
    for (const member of members.slice(1)) await member.service.clone(remote, { genesis: GENESIS, importedPolicyDigest: null }, [member.key.keyId]);
    for (const member of members) await member.service.queueApproval(MANIFEST, approvalBy(member.key));
    const outcomes = await Promise.all(members.map((member) => member.service.sync(member.signer)));
    expect(outcomes.map((outcome) => [outcome.outcome, outcome.problems])).toEqual(members.map(() => ['synced', []]));
    // A second round lets everyone cosign everyone; then every machine sees the same board.
    for (const member of members) await member.service.sync(member.signer);
    for (const member of members) await member.service.sync(null);
    const views = await Promise.all(members.map(async (member) => (await member.service.status()).board));
    for (const view of views) {
      expect(view.problems).toEqual([]);
      expect(view.approvals.get(MANIFEST)).toHaveLength(5);
      expect([...view.accepted.keys()].sort()).toEqual([...views[0]!.accepted.keys()].sort());
    }
  }, 120_000);

  it('checks no signature and reads no file when nothing is new, one signature for one new approval, and keeps that across restarts', async () => {
    const remote = bareRemote();
    const [ada, alan, grace] = [reviewer(0), reviewer(1), reviewer(2)];
    await ada.service.init(remote, POLICY, ada.signer);
    await alan.service.clone(remote, { genesis: GENESIS, importedPolicyDigest: null }, [alan.key.keyId]);
    await alan.service.queueApproval(MANIFEST, approvalBy(alan.key));
    await alan.service.sync(alan.signer);
    await ada.service.sync(ada.signer);
    await grace.service.clone(remote, { genesis: GENESIS, importedPolicyDigest: null }, []);
    expect((await grace.service.sync(null)).problems).toEqual([]);

    const checks = countEd25519Checks();
    const unchanged = await grace.service.sync(null);
    expect(unchanged).toMatchObject({ outcome: 'synced', problems: [] });
    expect(unchanged.work).toEqual({ filesRead: 0, signaturesChecked: 0, leavesHashed: 0 });
    expect(checks.count).toBe(0);

    // A new service on the same data directory (the next run of the CLI) reads the cache from disk.
    const restarted = new BoardService({ dataDir: grace.dataDir });
    expect((await restarted.sync(null)).work.signaturesChecked).toBe(0);
    expect(checks.count).toBe(0);

    const edsger = keys[3]!;
    const approval = approvalBy(edsger);
    const path = boardPaths.approval(MANIFEST, sha256Hex(approval));
    pushFiles(remote, new Map([[path, approval]]));
    const one = await restarted.sync(null);
    expect(one.problems).toEqual([]);
    expect(one.work).toEqual({ filesRead: 1, signaturesChecked: 1, leavesHashed: 0 });
    expect(checks.count).toBe(1);
    expect((await restarted.status()).board.approvals.get(MANIFEST)?.map((a) => a.reviewerKeyId).sort()).toEqual([alan.key.keyId, edsger.keyId].sort());
    expect(checks.count).toBe(1);
  });

  it('catches a cached approval edited in place by a forced push, and writes the accepted one back', async () => {
    const remote = bareRemote();
    const [ada, alan] = [reviewer(0), reviewer(1)];
    await ada.service.init(remote, POLICY, ada.signer);
    await alan.service.clone(remote, { genesis: GENESIS, importedPolicyDigest: null }, [alan.key.keyId]);
    const path = await alan.service.queueApproval(MANIFEST, approvalBy(alan.key));
    await alan.service.sync(alan.signer);
    await ada.service.sync(ada.signer);
    const original = (await ada.service.status()).board.accepted.get(path)!;

    // Same path, other bytes: the approval of another reviewer's key, signed and valid in itself.
    rewriteRemote(remote, (work) => writeFileSync(join(work, ...path.split('/')), approvalBy(keys[2]!)));
    const checks = countEd25519Checks();
    const outcome = await ada.service.sync(ada.signer);
    expect(outcome.outcome).toBe('problems');
    expect(outcome.problems.find((p) => p.path === path)?.code).toBe('changed-on-remote');
    expect(outcome.work.filesRead).toBe(1);
    expect(checks.count).toBe(0); // the edit is refused by its bytes; the accepted copy's signature is known
    const { board } = await ada.service.status();
    expect(board.accepted.get(path)).toEqual(original);
    expect(board.approvals.get(MANIFEST)?.map((a) => a.reviewerKeyId)).toEqual([alan.key.keyId]);
    const fresh = reviewer(3);
    await fresh.service.clone(remote, { genesis: GENESIS, importedPolicyDigest: null }, []);
    expect((await fresh.service.status()).board.approvals.get(MANIFEST)?.map((a) => a.reviewerKeyId)).toEqual([alan.key.keyId]);
  });
});
