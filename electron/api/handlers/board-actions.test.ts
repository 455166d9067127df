import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pathToFileURL } from 'node:url';
import type { CommandInput, CommandName, CommandOutput, Result } from '../../../shared/api/contract';
import { readEnvelope } from '../../../shared/crypto/dsse';
import { sha256Hex } from '../../../shared/crypto/hash';
import { parseStrictJson } from '../../../shared/json/strict-json';
import { createDispatcher, type Dispatcher } from '../dispatcher';

// Two reviewers on two data directories share a board through a bare repository on file://, and
// act on it through the same commands the app calls: approve for the board, endorse, notice.

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const demoBundle = path.join(repoRoot, 'assets/demo/bundle');
const demoProducerKey = fs.readFileSync(path.join(demoBundle, 'keys/training-ci.pub'), 'utf8').trim();
const PASSPHRASE = 'correct horse battery staple';

let work: string;
const open: Reviewer[] = [];

class Reviewer {
  readonly dispatcher: Dispatcher;
  keyId = '';
  publicKey = '';
  constructor(readonly dataDir: string) {
    this.dispatcher = createDispatcher({ dataDir, demoBundlePath: null, hooks: { host: 'web', emit: () => {} } });
    open.push(this);
  }

  call<C extends CommandName>(command: C, input: CommandInput<C>): Promise<Result<CommandOutput<C>>> {
    return this.dispatcher.dispatch(command, input) as Promise<Result<CommandOutput<C>>>;
  }

  async ok<C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandOutput<C>> {
    const result = await this.call(command, input);
    if (!result.ok) throw new Error(`${command} failed: ${result.error.code}: ${result.error.message}`);
    return result.value;
  }

  async generateKey(name: string) {
    const key = await this.ok('keys.generate', { name, passphrase: PASSPHRASE });
    this.keyId = key.keyId;
    this.publicKey = key.publicKey;
  }

  unlock() {
    return this.ok('keys.unlock', { keyId: this.keyId, passphrase: PASSPHRASE });
  }

  async openCopyOfDemo(): Promise<string> {
    const copy = fs.mkdtempSync(path.join(work, 'bundle-'));
    fs.cpSync(demoBundle, copy, { recursive: true });
    return (await this.ok('session.open', { path: copy })).sessionId;
  }
}

function policyText(version: number, ada: Reviewer, alan: Reviewer, approvalsRequired: number): string {
  return JSON.stringify({
    board: 'Test Review Board',
    version,
    members: [
      { name: 'Ada Byron', roles: ['risk'], keys: [ada.publicKey] },
      { name: 'Alan Turing', roles: ['privacy'], keys: [alan.publicKey] },
    ],
    producers: [{ name: 'training CI', keys: [demoProducerKey] }],
    revokedKeys: [],
    rules: { approvalsRequired, rolesRequired: { risk: 1, privacy: 1 }, authorMayApprove: false, rejectionBlocks: true, maxApprovalAgeDays: 90 },
  });
}

/** Ada sets up the board and publishes the demo release; Alan joins with the genesis digest. Neither imported a policy in Trust. */
async function boardOfTwo() {
  const label = Math.random().toString(36).slice(2);
  const remote = path.join(work, `board-${label}.git`);
  execFileSync('git', ['init', '--quiet', '--bare', remote]);
  const url = pathToFileURL(remote).href;
  const ada = new Reviewer(path.join(work, `ada-${label}`));
  const alan = new Reviewer(path.join(work, `alan-${label}`));
  await ada.generateKey('ada@laptop');
  await alan.generateKey('alan@laptop');
  const genesis = policyText(1, ada, alan, 2);
  await ada.unlock();
  await ada.ok('board.init', { remote: url, boardText: genesis, keyId: ada.keyId });
  const adaSession = await ada.openCopyOfDemo();
  await ada.ok('board.publish', { sessionId: adaSession });
  expect((await ada.ok('board.sync', {})).outcome).toBe('synced');
  await alan.ok('board.clone', { remote: url, genesis: sha256Hex(new TextEncoder().encode(genesis)) });
  return { ada, alan, adaSession };
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-board-actions-'));
});

afterAll(async () => {
  for (const reviewer of open) await reviewer.dispatcher.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('acting on the board from the app', () => {
  it('approves under the policy in force on the board, queues the approval, and the other reviewer sees it after a sync', async () => {
    const { ada, alan, adaSession } = await boardOfTwo();
    const session = await alan.openCopyOfDemo();
    // Alan never imported a policy in Trust: a plain approval has no rules to be made under.
    await alan.unlock();
    const plain = await alan.call('approvals.approve', { sessionId: session, keyId: alan.keyId, decision: 'approve', role: 'privacy', saveToBundle: true });
    expect(plain).toEqual({ ok: false, error: expect.objectContaining({ code: 'conflict' }) });

    const inForce = await alan.ok('board.policyInForce', {});
    expect(inForce.summary).toEqual(expect.objectContaining({ board: 'Test Review Board', version: 1, digest: inForce.digest }));
    expect(inForce.summary.members.map((member) => member.name)).toEqual(['Ada Byron', 'Alan Turing']);

    const { made, queued } = await alan.ok('board.approve', { sessionId: session, keyId: alan.keyId, decision: 'approve', role: 'privacy', saveToBundle: true });
    expect(made.status.policy).toEqual({ board: 'Test Review Board', version: 1, digest: inForce.digest });
    expect(queued).toEqual([expect.stringMatching(/^approvals\//)]);
    expect((await alan.ok('board.status', {})).queue).toEqual(queued);

    expect((await alan.ok('board.sync', {})).outcome).toBe('synced');
    await ada.ok('board.sync', {});
    const seen = await ada.ok('board.status', {});
    expect(seen.decisions).toEqual([expect.objectContaining({ reviewer: 'Alan Turing', decision: 'approve', manifestDigest: made.status.manifest.digest })]);
    const judged = await ada.ok('board.evaluate', { sessionId: adaSession, maxAgeSeconds: null });
    expect(judged.status.evaluation.approvals.map((approval) => approval.reviewerName)).toContain('Alan Turing');
  });

  it('abstains for the board: the abstention is signed under the policy in force, queued, and reaches the other reviewer', async () => {
    const { ada, alan } = await boardOfTwo();
    const session = await alan.openCopyOfDemo();
    await alan.unlock();
    const { made, queued } = await alan.ok('board.approve', { sessionId: session, keyId: alan.keyId, decision: 'abstain', role: 'privacy', comment: 'conflict of interest', saveToBundle: false });
    expect(queued).toEqual([expect.stringMatching(/^approvals\//)]);
    expect((await alan.ok('board.sync', {})).outcome).toBe('synced');
    await ada.ok('board.sync', {});
    expect((await ada.ok('board.status', {})).decisions).toEqual([expect.objectContaining({ reviewer: 'Alan Turing', decision: 'abstain', manifestDigest: made.status.manifest.digest })]);
  });

  it('refuses to approve for the board with a locked key, or in a role the member does not hold, and queues nothing', async () => {
    const { alan } = await boardOfTwo();
    const session = await alan.openCopyOfDemo();
    const refused = await alan.call('board.approve', { sessionId: session, keyId: alan.keyId, decision: 'approve', role: 'privacy', saveToBundle: true });
    expect(refused).toEqual({ ok: false, error: expect.objectContaining({ code: 'conflict', message: expect.stringMatching(/unlock/i) }) });
    expect((await alan.ok('board.status', {})).queue).toEqual([]);

    // The board's rules hold before anything is queued: Alan holds no risk seat.
    await alan.unlock();
    const wrongRole = await alan.call('board.approve', { sessionId: session, keyId: alan.keyId, decision: 'approve', role: 'risk', saveToBundle: true });
    expect(wrongRole).toEqual({ ok: false, error: expect.objectContaining({ code: 'refused' }) });
    expect((await alan.ok('board.status', {})).queue).toEqual([]);
  });

  it("puts a proposed policy in force once the other member endorses it", async () => {
    const { ada, alan } = await boardOfTwo();
    const next = policyText(2, ada, alan, 1);
    await ada.ok('board.propose', { boardText: next });
    await ada.ok('board.sync', {});
    await alan.unlock();
    await alan.ok('board.sync', {});
    const pending = (await alan.ok('board.status', {})).pending;
    expect(pending).toEqual([expect.objectContaining({ version: 2, endorsedBy: ['Ada Byron'] })]);
    await alan.ok('board.endorse', { digest: pending[0]!.digest });
    await alan.ok('board.sync', {});
    const status = await alan.ok('board.status', {});
    expect(status.chain.map((link) => link.version)).toEqual([1, 2]);
    expect(status.pending).toEqual([]);
  });

  it('re-opens a decided release with a notice against a subject it pins, and refuses a malformed target', async () => {
    const { ada, alan } = await boardOfTwo();
    const session = await alan.openCopyOfDemo();
    await alan.unlock();
    const { made } = await alan.ok('board.approve', { sessionId: session, keyId: alan.keyId, decision: 'approve', role: 'privacy', saveToBundle: true });
    await alan.ok('board.sync', {});
    expect((await alan.ok('board.inbox', {}))?.items).toEqual([]);

    const bad = await ada.call('board.notice', { target: { subject: 'sha256:not-hex' }, reason: 'data deletion request' });
    expect(bad.ok).toBe(false);
    expect((await ada.ok('board.status', {})).queue).toEqual([]);

    const manifest = parseStrictJson(readEnvelope(fs.readFileSync(path.join(demoBundle, 'manifest.dsse.json')), 16 * 1024 * 1024).payload, { maxBytes: 16 * 1024 * 1024 }) as { subject: { digest: { sha256: string } }[] };
    const subject = manifest.subject[0]!.digest.sha256;
    await ada.ok('board.notice', { target: { subject }, reason: 'data deletion request' });
    await ada.ok('board.sync', {});
    await alan.ok('board.sync', {});
    const inbox = await alan.ok('board.inbox', {});
    expect(inbox?.items).toEqual([
      expect.objectContaining({ manifestDigest: made.status.manifest.digest, reopenedBy: [expect.objectContaining({ issuer: 'Ada Byron', reason: 'data deletion request' })] }),
    ]);
  });
});
