import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandInput, CommandName, CommandOutput, JobProgress, Result } from '../../../shared/api/contract';
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
  onProgress: (progress: JobProgress) => void = () => {};
  constructor(readonly dataDir: string) {
    this.dispatcher = createDispatcher({
      dataDir,
      demoBundlePath: null,
      hooks: { host: 'web', emit: (event, payload) => event === 'job.progress' && this.onProgress(payload) },
    });
  }

  call<C extends CommandName>(command: C, input: CommandInput<C>): Promise<Result<CommandOutput<C>>> {
    return this.dispatcher.dispatch(command, input) as Promise<Result<CommandOutput<C>>>;
  }

  async ok<C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandOutput<C>> {
    const result = await this.call(command, input);
    if (!result.ok) throw new Error(`${command} failed: ${result.error.code}: ${result.error.message}`);
    return result.value;
  }

  /** Opens a review session on the bundle, as a view does, and returns its ID. */
  async open(bundle: string): Promise<string> {
    return (await this.ok('session.open', { path: bundle })).sessionId;
  }

  async importBoard(text: string) {
    const preview = await this.ok('trust.previewBoard', { text });
    return this.ok('trust.importBoard', { text, confirmDigest: preview.next.digest });
  }
}

const copyOfDemo = (label: string) => {
  const copy = path.join(work, `${label}-${Math.random().toString(36).slice(2)}`);
  fs.cpSync(demoBundle, copy, { recursive: true });
  return copy;
};

const open: Reviewer[] = [];

/** Two reviewers with fresh profiles and a key each; with `board`, both have imported the two-member board. */
async function reviewers({ board }: { board: boolean }): Promise<{ ada: Reviewer; alan: Reviewer; boardText: string }> {
  const label = Math.random().toString(36).slice(2);
  const ada = new Reviewer(path.join(work, `ada-${label}`));
  const alan = new Reviewer(path.join(work, `alan-${label}`));
  open.push(ada, alan);
  const adaKey = await ada.ok('keys.generate', { name: 'ada@laptop', passphrase: PASSPHRASE });
  const alanKey = await alan.ok('keys.generate', { name: 'alan@laptop', passphrase: PASSPHRASE });
  ada.keyId = adaKey.keyId;
  alan.keyId = alanKey.keyId;
  const boardText = JSON.stringify({
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
  if (board) {
    await ada.importBoard(boardText);
    await alan.importBoard(boardText);
  }
  return { ada, alan, boardText };
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-approvals-handlers-'));
});

afterAll(async () => {
  for (const reviewer of open) await reviewer.dispatcher.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('keys handlers', () => {
  it('give public facts only, and record key creation in the audit trail', async () => {
    const { ada } = await reviewers({ board: false });
    const keys = await ada.ok('keys.list', {});
    expect(keys).toEqual([expect.objectContaining({ keyId: ada.keyId, name: 'ada@laptop', origin: 'generated', unlocked: false })]);
    expect(Object.keys(keys[0]!).sort()).toEqual(['createdAt', 'keyId', 'name', 'origin', 'publicKey', 'unlocked']);
    expect((await ada.ok('keys.exportPublic', { keyId: ada.keyId })).publicKey).toMatch(/^ssh-ed25519 AAAA\S+ ada@laptop$/);
    const audit = await ada.ok('audit.list', {});
    expect(audit).toEqual([expect.objectContaining({ action: 'key.generated', actor: ada.keyId })]);
  });

  it('refuse a wrong passphrase as a conflict and keep the key locked; lock again on request', async () => {
    const { ada } = await reviewers({ board: false });
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
    const { ada } = await reviewers({ board: false });
    const result = await ada.call('approvals.evaluate', { sessionId: await ada.open(copyOfDemo('no-board')) });
    expect(result).toEqual({ ok: false, error: { code: 'conflict', message: expect.stringContaining('No board policy is imported') } });
  });

  it('audit the board policy import', async () => {
    const { ada, boardText } = await reviewers({ board: false });
    const imported = await ada.importBoard(boardText);
    const [latest] = await ada.ok('audit.list', { limit: 1 });
    expect(latest).toEqual(expect.objectContaining({ action: 'board.imported', actor: null, detail: expect.objectContaining({ digest: imported.digest }) }));
  });

  it('refuse to approve with a locked key, naming the key to unlock', async () => {
    const { ada } = await reviewers({ board: true });
    const bundle = copyOfDemo('locked');
    const result = await ada.call('approvals.approve', { sessionId: await ada.open(bundle), keyId: ada.keyId, decision: 'approve', role: 'risk', saveToBundle: true });
    expect(result).toEqual({ ok: false, error: { code: 'conflict', message: expect.stringContaining(`Unlock key ada@laptop (${ada.keyId}) first`) } });
    expect(fs.existsSync(path.join(bundle, 'approvals'))).toBe(false);
  });

  it('let two reviewers reach the quorum on an archive by exchanging exported approval files', async () => {
    const archive = path.join(work, 'release.tar');
    execFileSync('tar', ['-cf', archive, '-C', demoBundle, '.']);
    const { ada, alan } = await reviewers({ board: true });
    const atAdas = await ada.open(archive);
    const atAlans = await alan.open(archive);
    await ada.ok('keys.unlock', { keyId: ada.keyId, passphrase: PASSPHRASE });
    await alan.ok('keys.unlock', { keyId: alan.keyId, passphrase: PASSPHRASE });

    const intoArchive = await ada.call('approvals.approve', { sessionId: atAdas, keyId: ada.keyId, decision: 'approve', role: 'risk', saveToBundle: true });
    expect(intoArchive).toEqual({ ok: false, error: { code: 'conflict', message: expect.stringContaining('is an archive') } });

    const byAda = await ada.ok('approvals.approve', { sessionId: atAdas, keyId: ada.keyId, decision: 'approve', role: 'risk', comment: 'risk reviewed', saveToBundle: false });
    expect(byAda.savedToBundle).toBe(false);
    expect(path.dirname(byAda.file)).toBe(path.join(ada.dataDir, 'exports'));
    expect(fs.readFileSync(byAda.file, 'utf8')).toBe(byAda.text);
    expect(byAda.status.evaluation.approved).toBe(false);
    expect(byAda.status.evaluation.counted).toEqual([{ member: 'Ada Byron', keyId: ada.keyId, role: 'risk' }]);
    expect(byAda.status.files).toEqual([expect.objectContaining({ origin: 'profile', file: byAda.fileName })]);

    const atAlan = await alan.ok('approvals.import', { sessionId: atAlans, fileName: byAda.fileName, text: byAda.text });
    expect(atAlan.status.evaluation.counted.map((counted) => counted.member)).toEqual(['Ada Byron']);
    const byAlan = await alan.ok('approvals.approve', { sessionId: atAlans, keyId: alan.keyId, decision: 'approve', role: 'privacy', saveToBundle: false });
    expect(byAlan.status.evaluation.approved).toBe(true);
    const seats = byAlan.status.evaluation.seats.map(({ role, seat, filledBy }) => `${role} #${seat}: ${filledBy}`);
    expect(seats.sort()).toEqual(['privacy #1: Alan Turing', 'risk #1: Ada Byron']);

    const atAda = await ada.ok('approvals.import', { sessionId: atAdas, fileName: 'from-alan.dsse.json', text: byAlan.text });
    expect(atAda.status.evaluation.approved).toBe(true);
    expect((await ada.ok('approvals.evaluate', { sessionId: atAdas })).evaluation.approved).toBe(true);

    const actions = (await ada.ok('audit.list', {})).map((entry) => entry.action);
    expect(actions.slice(0, 2)).toEqual(['approval.imported', 'approval.made']);
  });

  it('refuse, audit and do not keep an approval of another manifest, or a file that is no approval', async () => {
    const { ada, alan } = await reviewers({ board: true });
    const bundle = await alan.open(copyOfDemo('foreign'));
    const before = await alan.ok('approvals.evaluate', { sessionId: bundle });

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

    const refused = await alan.call('approvals.import', { sessionId: bundle, fileName: 'm91.dsse.json', text: foreign });
    expect(refused).toEqual({ ok: false, error: { code: 'refused', message: expect.stringContaining('approves another manifest') } });
    const garbage = await alan.call('approvals.import', { sessionId: bundle, fileName: 'junk.dsse.json', text: '{"payloadType": 1}' });
    expect(garbage).toEqual({ ok: false, error: { code: 'invalid-format', message: expect.stringContaining('junk.dsse.json') } });

    const after = await alan.ok('approvals.evaluate', { sessionId: bundle });
    expect(after.files).toEqual(before.files);
    const [last, previous] = await alan.ok('audit.list', { limit: 2 });
    expect([last?.action, previous?.action]).toEqual(['approval.refused', 'approval.refused']);
    expect(previous).toEqual(expect.objectContaining({ actor: ada.keyId, manifestDigest: before.manifest.digest }));
  });

  it('save into a directory bundle, and refuse to approve a tampered one (writing nothing) while allowing a rejection', async () => {
    const { ada } = await reviewers({ board: true });
    await ada.ok('keys.unlock', { keyId: ada.keyId, passphrase: PASSPHRASE });
    const bundle = copyOfDemo('directory');
    const saved = await ada.ok('approvals.approve', { sessionId: await ada.open(bundle), keyId: ada.keyId, decision: 'approve', role: 'risk', saveToBundle: true });
    expect(saved.savedToBundle).toBe(true);
    expect(path.dirname(saved.file)).toBe(path.join(bundle, 'approvals'));
    expect(saved.status.files).toEqual(expect.arrayContaining([{ file: `approvals/${saved.fileName}`, origin: 'bundle', storedAt: null }]));

    const tampered = copyOfDemo('tampered');
    const model = path.join(tampered, 'artifacts/model/fraud-m92.onnx');
    const bytes = fs.readFileSync(model);
    bytes[7] = bytes[7]! ^ 0x01;
    fs.writeFileSync(model, bytes);
    const atTampered = await ada.open(tampered);
    const refused = await ada.call('approvals.approve', { sessionId: atTampered, keyId: ada.keyId, decision: 'approve', role: 'risk', saveToBundle: true });
    expect(refused).toEqual({ ok: false, error: { code: 'refused', message: expect.stringContaining('does not verify (tampered)') } });
    expect(fs.existsSync(path.join(tampered, 'approvals'))).toBe(false);

    const rejected = await ada.ok('approvals.approve', { sessionId: atTampered, keyId: ada.keyId, decision: 'reject', role: 'risk', comment: 'model changed', saveToBundle: true });
    expect(rejected.status.evaluation.approved).toBe(false);
    expect(fs.readdirSync(path.join(tampered, 'approvals'))).toEqual([rejected.fileName]);
  });

  it('keep the audit chain intact through approvals made and imported, and record a key removal', async () => {
    const { ada, alan } = await reviewers({ board: true });
    const archive = path.join(work, 'chain.tar');
    execFileSync('tar', ['-cf', archive, '-C', demoBundle, '.']);
    await ada.ok('keys.unlock', { keyId: ada.keyId, passphrase: PASSPHRASE });
    const made = await ada.ok('approvals.approve', { sessionId: await ada.open(archive), keyId: ada.keyId, decision: 'approve', role: 'risk', saveToBundle: false });
    await alan.ok('approvals.import', { sessionId: await alan.open(archive), fileName: made.fileName, text: made.text });
    expect(await ada.ok('keys.remove', { keyId: ada.keyId })).toEqual({ removed: true });
    expect((await ada.ok('audit.list', { limit: 1 }))[0]).toEqual(expect.objectContaining({ action: 'key.removed', actor: ada.keyId }));
    expect(await ada.ok('audit.verify', {})).toEqual(expect.objectContaining({ ok: true }));
    expect(await alan.ok('audit.verify', {})).toEqual(expect.objectContaining({ ok: true }));
  });
});

describe('review sessions', () => {
  it('answer every question about an archive from one unpacking, all about the same manifest digest', async () => {
    const { ada } = await reviewers({ board: true });
    const archive = path.join(work, 'once.tar');
    execFileSync('tar', ['-cf', archive, '-C', demoBundle, '.']);
    const opened = await ada.ok('session.open', { path: archive });
    const sessionsFolder = path.join(os.tmpdir(), `countersign-sessions-${process.pid}`);
    const unpacked = () => fs.readdirSync(sessionsFolder);
    const afterOpening = unpacked();
    expect(afterOpening.length).toBeGreaterThan(0);

    const status = await ada.ok('approvals.evaluate', { sessionId: opened.sessionId });
    const diff = await ada.ok('deployment.diff', { sessionId: opened.sessionId });
    const graph = await ada.ok('lineage.graph', { sessionId: opened.sessionId });
    const offered = await ada.ok('trust.offeredKeys', { sessionId: opened.sessionId });
    const report = await ada.ok('session.report', { sessionId: opened.sessionId });
    expect(unpacked()).toEqual(afterOpening);
    expect(new Set([opened.report!.manifest!.digest, status.manifest.digest, diff.manifestDigest, report.manifest!.digest]).size).toBe(1);
    expect(graph.nodes.length).toBeGreaterThan(0);
    expect(offered.map((key) => key.file)).toEqual(['keys/training-ci.pub']);

    expect(await ada.ok('session.close', { sessionId: opened.sessionId })).toEqual({ closed: true });
    expect(unpacked().length).toBe(afterOpening.length - 1);
    const closed = await ada.call('approvals.evaluate', { sessionId: opened.sessionId });
    expect(closed).toEqual({ ok: false, error: { code: 'not-found', message: expect.stringContaining('open it again') } });
  });

  it('tell the same tampered story in every panel: blob failure, signatures valid, approval refused for the tampering', async () => {
    const { ada } = await reviewers({ board: true });
    const tampered = copyOfDemo('one-story');
    const model = path.join(tampered, 'artifacts/model/fraud-m92.onnx');
    const bytes = fs.readFileSync(model);
    bytes[3] = bytes[3]! ^ 0x20;
    fs.writeFileSync(model, bytes);
    const opened = await ada.ok('session.open', { path: tampered });
    expect(opened.report!.verdict).toBe('tampered');
    expect(opened.report!.signatures.every((signature) => signature.status === 'valid')).toBe(true);
    const status = await ada.ok('approvals.evaluate', { sessionId: opened.sessionId });
    expect(status.verdict).toBe('tampered');
    const diff = await ada.ok('deployment.diff', { sessionId: opened.sessionId });
    expect(diff.verdict).toBe('blocked');
    expect(diff.reasons.join(' ')).toContain('does not verify under the board policy (tampered)');
    expect(diff.reasons.join(' ')).not.toMatch(/did not sign/);
  });

  it('refuse to sign over a bundle folder changed since it was verified, writing nothing', async () => {
    const { ada } = await reviewers({ board: true });
    await ada.ok('keys.unlock', { keyId: ada.keyId, passphrase: PASSPHRASE });
    const bundle = copyOfDemo('changed');
    const sessionId = await ada.open(bundle);
    fs.appendFileSync(path.join(bundle, 'artifacts/model/fraud-m92.onnx'), 'extra');
    const refused = await ada.call('approvals.approve', { sessionId, keyId: ada.keyId, decision: 'approve', role: 'risk', saveToBundle: true });
    expect(refused).toEqual({ ok: false, error: { code: 'conflict', message: expect.stringContaining('changed since the bundle was verified') } });
    expect(fs.existsSync(path.join(bundle, 'approvals'))).toBe(false);
  });

  it('stop a verification by its job ID through jobs.cancel, leaving no session open', async () => {
    const { ada } = await reviewers({ board: false });
    const big = copyOfDemo('big');
    fs.truncateSync(path.join(big, 'artifacts/model/fraud-m92.onnx'), 8 * 1024 ** 3);
    const progressed = new Promise<void>((resolve) => {
      ada.onProgress = (progress) => {
        if (progress.jobId === 'verify-big' && progress.bytesDone > 0) resolve();
      };
    });
    const opening = ada.call('session.open', { path: big, jobId: 'verify-big' });
    await progressed;
    expect(await ada.ok('jobs.cancel', { jobId: 'verify-big' })).toEqual({ cancelled: true });
    expect(await opening).toEqual({ ok: false, error: { code: 'cancelled', message: expect.any(String) } });
    expect(await ada.ok('jobs.cancel', { jobId: 'verify-big' })).toEqual({ cancelled: false });
  });
});
