import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandInput, CommandName, CommandOutput, Result } from '../../../shared/api/contract';
import { buildApprovalStatement } from '../../../shared/approvals/approval-statement';
import { pae, serializeEnvelope } from '../../../shared/crypto/dsse';
import { IN_TOTO_PAYLOAD_TYPE } from '../../../shared/verify/check-manifest';
import { createDispatcher, type Dispatcher } from '../dispatcher';
import { openStore } from '../../services/store/store';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const demoBundle = path.join(repoRoot, 'assets/demo/bundle');
const demoProducerKey = fs.readFileSync(path.join(demoBundle, 'keys/training-ci.pub'), 'utf8').trim();
const PASSPHRASE = 'correct horse battery staple';

let work: string;

/** One reviewer's profile, served by the real dispatcher as both hosts serve it. */
class Reviewer {
  readonly dispatcher: Dispatcher;
  keyId = '';
  constructor(readonly dataDir: string) {
    this.dispatcher = createDispatcher({ dataDir, demoBundlePath: null, hooks: { host: 'web', emit: () => {} } });
  }

  call<C extends CommandName>(command: C, input: CommandInput<C>): Promise<Result<CommandOutput<C>>> {
    return this.dispatcher.dispatch(command, input) as Promise<Result<CommandOutput<C>>>;
  }

  async ok<C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandOutput<C>> {
    const result = await this.call(command, input);
    if (!result.ok) throw new Error(`${command} failed: ${result.error.code}: ${result.error.message}`);
    return result.value;
  }

  async importBoard(text: string) {
    const preview = await this.ok('trust.previewBoard', { text });
    return this.ok('trust.importBoard', { text, confirmDigest: preview.next.digest });
  }
}

let ada: Reviewer;
let alan: Reviewer;
let boardText: string;

const copyOfDemo = (label: string) => {
  const copy = path.join(work, `${label}-${Math.random().toString(36).slice(2)}`);
  fs.cpSync(demoBundle, copy, { recursive: true });
  return copy;
};

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-approvals-handlers-'));
  ada = new Reviewer(path.join(work, 'ada'));
  alan = new Reviewer(path.join(work, 'alan'));
  const adaKey = await ada.ok('keys.generate', { name: 'ada@laptop', passphrase: PASSPHRASE });
  const alanKey = await alan.ok('keys.generate', { name: 'alan@laptop', passphrase: PASSPHRASE });
  ada.keyId = adaKey.keyId;
  alan.keyId = alanKey.keyId;
  boardText = JSON.stringify({
    board: 'Test Review Board',
    version: 1,
    members: [
      { name: 'Ada Byron', roles: ['risk'], keys: [adaKey.publicKey] },
      { name: 'Alan Turing', roles: ['privacy'], keys: [alanKey.publicKey] },
    ],
    producers: [{ name: 'training CI', keys: [demoProducerKey] }],
    revokedKeys: [],
    rules: { approvalsRequired: 2, rolesRequired: { risk: 1, privacy: 1 }, authorMayApprove: false, rejectionBlocks: true, maxApprovalAgeDays: 90 },
  });
});

afterAll(async () => {
  await ada.dispatcher.close();
  await alan.dispatcher.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('keys handlers', () => {
  it('give public facts only, and record key creation in the audit trail', async () => {
    const keys = await ada.ok('keys.list', {});
    expect(keys).toEqual([expect.objectContaining({ keyId: ada.keyId, name: 'ada@laptop', origin: 'generated', unlocked: false })]);
    expect(Object.keys(keys[0]!).sort()).toEqual(['createdAt', 'keyId', 'name', 'origin', 'publicKey', 'unlocked']);
    expect((await ada.ok('keys.exportPublic', { keyId: ada.keyId })).publicKey).toMatch(/^ssh-ed25519 AAAA\S+ ada@laptop$/);
    const audit = await ada.ok('audit.list', {});
    expect(audit).toEqual([expect.objectContaining({ action: 'key.generated', actor: ada.keyId })]);
  });

  it('refuse a wrong passphrase as a conflict and keep the key locked; lock again on request', async () => {
    const wrong = await ada.call('keys.unlock', { keyId: ada.keyId, passphrase: 'not it' });
    expect(wrong).toEqual({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/wrong passphrase/i) } });
    expect((await ada.ok('keys.status', {})).unlocked).toEqual([]);

    expect((await ada.ok('keys.unlock', { keyId: ada.keyId, passphrase: PASSPHRASE })).unlocked).toEqual([ada.keyId]);
    expect((await ada.ok('keys.lock', {})).unlocked).toEqual([]);
    expect((await ada.ok('keys.setIdleLock', { minutes: 15 })).idleLockMinutes).toBe(15);
  });
});

describe('approvals handlers', () => {
  it('say that a board policy must be imported first', async () => {
    const result = await ada.call('approvals.evaluate', { path: copyOfDemo('no-board') });
    expect(result).toEqual({ ok: false, error: { code: 'conflict', message: expect.stringContaining('No board policy is imported') } });
  });

  it('audit the board policy import', async () => {
    const imported = await ada.importBoard(boardText);
    await alan.importBoard(boardText);
    const [latest] = await ada.ok('audit.list', { limit: 1 });
    expect(latest).toEqual(expect.objectContaining({ action: 'board.imported', actor: null, detail: expect.objectContaining({ digest: imported.digest }) }));
  });

  it('refuse to approve with a locked key, naming the key to unlock', async () => {
    const bundle = copyOfDemo('locked');
    const result = await ada.call('approvals.approve', { path: bundle, keyId: ada.keyId, decision: 'approve', role: 'risk', saveToBundle: true });
    expect(result).toEqual({ ok: false, error: { code: 'conflict', message: expect.stringContaining(`Unlock key ada@laptop (${ada.keyId}) first`) } });
    expect(fs.existsSync(path.join(bundle, 'approvals'))).toBe(false);
  });

  it('let two reviewers reach the quorum on an archive by exchanging exported approval files', async () => {
    const archive = path.join(work, 'release.tar');
    execFileSync('tar', ['-cf', archive, '-C', demoBundle, '.']);
    await ada.ok('keys.unlock', { keyId: ada.keyId, passphrase: PASSPHRASE });
    await alan.ok('keys.unlock', { keyId: alan.keyId, passphrase: PASSPHRASE });

    const intoArchive = await ada.call('approvals.approve', { path: archive, keyId: ada.keyId, decision: 'approve', role: 'risk', saveToBundle: true });
    expect(intoArchive).toEqual({ ok: false, error: { code: 'conflict', message: expect.stringContaining('is an archive') } });

    const byAda = await ada.ok('approvals.approve', { path: archive, keyId: ada.keyId, decision: 'approve', role: 'risk', comment: 'risk reviewed', saveToBundle: false });
    expect(byAda.savedToBundle).toBe(false);
    expect(path.dirname(byAda.file)).toBe(path.join(ada.dataDir, 'exports'));
    expect(fs.readFileSync(byAda.file, 'utf8')).toBe(byAda.text);
    expect(byAda.status.evaluation.approved).toBe(false);
    expect(byAda.status.evaluation.counted).toEqual([{ member: 'Ada Byron', keyId: ada.keyId, role: 'risk' }]);
    expect(byAda.status.files).toEqual([expect.objectContaining({ origin: 'profile', file: byAda.fileName })]);

    const atAlan = await alan.ok('approvals.import', { path: archive, fileName: byAda.fileName, text: byAda.text });
    expect(atAlan.status.evaluation.counted.map((counted) => counted.member)).toEqual(['Ada Byron']);
    const byAlan = await alan.ok('approvals.approve', { path: archive, keyId: alan.keyId, decision: 'approve', role: 'privacy', saveToBundle: false });
    expect(byAlan.status.evaluation.approved).toBe(true);
    const seats = byAlan.status.evaluation.seats.map(({ role, seat, filledBy }) => `${role} #${seat}: ${filledBy}`);
    expect(seats.sort()).toEqual(['privacy #1: Alan Turing', 'risk #1: Ada Byron']);

    const atAda = await ada.ok('approvals.import', { path: archive, fileName: 'from-alan.dsse.json', text: byAlan.text });
    expect(atAda.status.evaluation.approved).toBe(true);
    expect((await ada.ok('approvals.evaluate', { path: archive })).evaluation.approved).toBe(true);

    const actions = (await ada.ok('audit.list', {})).map((entry) => entry.action);
    expect(actions.slice(0, 2)).toEqual(['approval.imported', 'approval.made']);
  });

  it('refuse, audit and do not keep an approval of another manifest, or a file that is no approval', async () => {
    const bundle = copyOfDemo('foreign');
    const before = await alan.ok('approvals.evaluate', { path: bundle });

    // Ada's key signs a well-formed approval of some other manifest (her own profile, a second connection).
    const store = openStore(ada.dataDir);
    let foreign: string;
    try {
      await store.keys.unlock(ada.keyId, PASSPHRASE);
      const statement = buildApprovalStatement({
        releaseName: 'fraud-detector',
        releaseVersion: 'm91',
        manifestDigest: 'ab'.repeat(32),
        decision: 'approve',
        role: 'risk',
        reviewer: ada.keyId,
        policyDigest: before.policy.digest,
        reviewedAt: '2026-11-03T09:30:00Z',
      });
      const payload = new TextEncoder().encode(JSON.stringify(statement));
      foreign = serializeEnvelope({ payloadType: IN_TOTO_PAYLOAD_TYPE, payload, signatures: [{ keyid: ada.keyId, sig: store.keys.sign(ada.keyId, pae(IN_TOTO_PAYLOAD_TYPE, payload)) }] });
    } finally {
      store.close();
    }

    const refused = await alan.call('approvals.import', { path: bundle, fileName: 'm91.dsse.json', text: foreign });
    expect(refused).toEqual({ ok: false, error: { code: 'conflict', message: expect.stringContaining('approves another manifest') } });
    const garbage = await alan.call('approvals.import', { path: bundle, fileName: 'junk.dsse.json', text: '{"payloadType": 1}' });
    expect(garbage).toEqual({ ok: false, error: { code: 'invalid-format', message: expect.stringContaining('junk.dsse.json') } });

    const after = await alan.ok('approvals.evaluate', { path: bundle });
    expect(after.files).toEqual(before.files);
    const [last, previous] = await alan.ok('audit.list', { limit: 2 });
    expect([last?.action, previous?.action]).toEqual(['approval.refused', 'approval.refused']);
    expect(previous).toEqual(expect.objectContaining({ actor: ada.keyId, manifestDigest: before.manifest.digest }));
  });

  it('save into a directory bundle, and refuse to approve a tampered one (writing nothing) while allowing a rejection', async () => {
    const bundle = copyOfDemo('directory');
    const saved = await ada.ok('approvals.approve', { path: bundle, keyId: ada.keyId, decision: 'approve', role: 'risk', saveToBundle: true });
    expect(saved.savedToBundle).toBe(true);
    expect(path.dirname(saved.file)).toBe(path.join(bundle, 'approvals'));
    expect(saved.status.files).toEqual(expect.arrayContaining([{ file: `approvals/${saved.fileName}`, origin: 'bundle', storedAt: null }]));

    const tampered = copyOfDemo('tampered');
    const model = path.join(tampered, 'artifacts/model/fraud-m92.onnx');
    const bytes = fs.readFileSync(model);
    bytes[7] = bytes[7]! ^ 0x01;
    fs.writeFileSync(model, bytes);
    const refused = await ada.call('approvals.approve', { path: tampered, keyId: ada.keyId, decision: 'approve', role: 'risk', saveToBundle: true });
    expect(refused).toEqual({ ok: false, error: { code: 'conflict', message: expect.stringContaining('does not verify (tampered)') } });
    expect(fs.existsSync(path.join(tampered, 'approvals'))).toBe(false);

    const rejected = await ada.ok('approvals.approve', { path: tampered, keyId: ada.keyId, decision: 'reject', role: 'risk', comment: 'model changed', saveToBundle: true });
    expect(rejected.status.evaluation.approved).toBe(false);
    expect(fs.readdirSync(path.join(tampered, 'approvals'))).toEqual([rejected.fileName]);
  });

  it('keep the audit chain intact through all of it, and record a key removal', async () => {
    expect(await ada.ok('keys.remove', { keyId: ada.keyId })).toEqual({ removed: true });
    expect((await ada.ok('audit.list', { limit: 1 }))[0]).toEqual(expect.objectContaining({ action: 'key.removed', actor: ada.keyId }));
    expect(await ada.ok('audit.verify', {})).toEqual(expect.objectContaining({ ok: true }));
    expect(await alan.ok('audit.verify', {})).toEqual(expect.objectContaining({ ok: true }));
  });
});
