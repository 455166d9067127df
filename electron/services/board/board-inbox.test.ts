import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signEd25519 } from '../../../shared/crypto/ed25519';
import { sha256Hex } from '../../../shared/crypto/hash';
import { signedApproval, signedPayload, testKey, type TestKey } from '../../../shared/approvals/test-keys';
import { releaseStatementPayload } from '../../../shared/release/release-statement';
import { boardInbox } from './board-inbox';
import { BoardService, type MemberSigner } from './board-service';

// Three members on three data directories share a board through a bare repository; the inbox of
// each is read from what their machine accepted, as the app reads it.

const encoder = new TextEncoder();
const ada = testKey('inbox ada');
const alan = testKey('inbox alan');
const grace = testKey('inbox grace');
const producer = testKey('inbox training ci');
const POLICY = encoder.encode(
  JSON.stringify({
    board: 'Responsible AI Review Board',
    version: 1,
    members: [
      { name: 'Ada Byron', roles: ['risk'], keys: [ada.openssh] },
      { name: 'Alan Turing', roles: ['privacy'], keys: [alan.openssh] },
      { name: 'Grace Hopper', roles: ['risk'], keys: [grace.openssh] },
    ],
    producers: [{ name: 'training CI', keys: [producer.openssh] }],
    rules: { approvalsRequired: 2, rolesRequired: {}, authorMayApprove: false, rejectionBlocks: true, maxApprovalAgeDays: 90 },
  }),
);
const GENESIS = sha256Hex(POLICY);
const MINUTE = 60_000;

/** A release manifest signed by the board's producer; `data` is the digest of the data it pins. */
function release(version: string, createdAt: Date, data: string): { digest: string; envelope: Uint8Array } {
  const payload = releaseStatementPayload({
    release: { name: 'fraud-detector', version },
    subjects: [{ name: 'data/transactions.parquet', digest: { sha256: data }, kind: 'dataset' }],
    environment: {},
    tolerance: null,
    evaluation: null,
    createdBy: producer.keyId,
    createdAt: createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  });
  return { digest: sha256Hex(payload), envelope: signedPayload([producer], payload) };
}

let scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  scratch = [];
});

function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `countersign-inbox-${label}-`));
  scratch.push(dir);
  return dir;
}

function signerOf(key: TestKey): MemberSigner {
  return { keyId: key.keyId, publicKey: key.publicKey, sign: async (message) => signEd25519(message, key.seed) };
}

function machine(label: string, now?: () => Date) {
  return new BoardService({ dataDir: tempDir(label), ...(now === undefined ? {} : { now }) });
}

function decision(key: TestKey, manifestDigest: string, choice: 'approve' | 'reject', at: Date): Uint8Array {
  const role = key === alan ? 'privacy' : 'risk';
  return signedApproval([key], { manifestDigest, policyDigest: GENESIS, decision: choice, role, reviewedAt: at.toISOString().replace(/\.\d{3}Z$/, 'Z') });
}

describe("a reviewer's inbox of releases on the board", () => {
  it('is absent where no board is set up', async () => {
    expect(await boardInbox(machine('none'))).toBeNull();
  });

  it("lists undecided releases newest first with the board's answer; a decision, even one still queued, takes a release out; a notice brings it back", async () => {
    const remote = `file://${join(tempDir('remote'), 'board.git')}`;
    execFileSync('git', ['init', '--bare', '--quiet', '--initial-branch=main', remote.slice('file://'.length)]);
    const start = Date.now();
    const adas = machine('ada');
    const alans = machine('alan', () => new Date(Date.now() + 2 * MINUTE));
    const reader = machine('reader');
    await adas.init(remote, POLICY, signerOf(ada));
    await alans.clone(remote, { genesis: GENESIS, importedPolicyDigest: null }, [alan.keyId]);
    await reader.clone(remote, { genesis: GENESIS, importedPolicyDigest: null }, []);

    const older = release('m91', new Date(start - 60 * MINUTE), sha256Hex(encoder.encode('Q1 transactions')));
    const newer = release('m92', new Date(start - 5 * MINUTE), sha256Hex(encoder.encode('Q2 transactions')));
    // Published oldest last, so the order is the inbox's own, not the board's.
    await adas.queueRelease(newer.digest, newer.envelope, new Map());
    await adas.queueRelease(older.digest, older.envelope, new Map());
    await adas.sync(signerOf(ada));
    await alans.sync(signerOf(alan));
    await alans.queueApproval(newer.digest, decision(alan, newer.digest, 'approve', new Date(start - MINUTE)));
    await alans.sync(signerOf(alan));
    await adas.sync(signerOf(ada));

    const first = await boardInbox(adas);
    expect(first?.memberName).toBe('Ada Byron');
    expect(first?.items.map((item) => [item.version, item.answer.kind, item.answer.headline])).toEqual([
      ['m92', 'needs-more', 'Needs 1 more approval'],
      ['m91', 'needs-more', 'Needs 2 more approvals'],
    ]);
    expect(first?.items[0]?.boardCopy).toBe(join(adas.home.root, 'accepted', 'releases', newer.digest));

    // Ada decides on m91 offline: the decision waits in the queue, and m91 no longer waits for her.
    await adas.queueApproval(older.digest, decision(ada, older.digest, 'approve', new Date(start - MINUTE)));
    expect((await boardInbox(adas))?.items.map((item) => item.version)).toEqual(['m92']);
    await adas.sync(signerOf(ada));
    expect((await boardInbox(adas))?.items.map((item) => item.version)).toEqual(['m92']);

    // Alan's notice against the data m91 pins re-opens it: Ada's approval, made before, no longer counts.
    await alans.sync(signerOf(alan));
    await alans.notice(signerOf(alan), { subject: sha256Hex(encoder.encode('Q1 transactions')) }, 'deletion request covers Q1');
    await alans.sync(signerOf(alan));
    await adas.sync(signerOf(ada));
    const reopened = (await boardInbox(adas))?.items.find((item) => item.version === 'm91');
    expect(reopened).toMatchObject({
      answer: { kind: 'needs-more', headline: 'Needs 2 more approvals' },
      reopenedBy: [{ issuer: 'Alan Turing', reason: 'deletion request covers Q1' }],
      earlierDecision: { decision: 'approve' },
    });

    // Alan decided on m92 and nothing re-opened it: only the re-opened m91 waits for him.
    expect((await boardInbox(alans))?.items.map((item) => item.version)).toEqual(['m91']);
    // A machine holding no member key has nobody to wait for.
    await reader.sync(null);
    expect(await boardInbox(reader)).toMatchObject({ memberName: null, items: [] });
  }, 180_000);
  it('points at the board copy where the release lies, in a sharded folder too', async () => {
    const remote = `file://${join(tempDir('remote'), 'board.git')}`;
    execFileSync('git', ['init', '--bare', '--quiet', '--initial-branch=main', remote.slice('file://'.length)]);
    const adas = machine('ada');
    await adas.init(remote, POLICY, signerOf(ada));
    const sharded = release('m93', new Date(Date.now() - MINUTE), sha256Hex(encoder.encode('Q3 transactions')));
    await adas.enqueue(`releases/${sharded.digest.slice(0, 2)}/${sharded.digest}/manifest.dsse.json`, sharded.envelope);
    expect((await adas.sync(signerOf(ada))).problems).toEqual([]);

    const inbox = await boardInbox(adas);
    const copy = inbox?.items[0]?.boardCopy;
    expect(copy).toBe(join(adas.home.root, 'accepted', 'releases', sharded.digest.slice(0, 2), sharded.digest));
    expect(existsSync(join(copy!, 'manifest.dsse.json'))).toBe(true);
  });
});
