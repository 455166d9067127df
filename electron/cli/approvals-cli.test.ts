import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILT_CLI } from './built-cli';
import Database from 'better-sqlite3';
import { openStore } from '../services/store/store';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const demoBundle = path.join(repoRoot, 'assets/demo/bundle');
const demoProducerKey = fs.readFileSync(path.join(demoBundle, 'keys/training-ci.pub'), 'utf8').trim();

let work: string;

interface Reviewer {
  name: string;
  profile: string;
  keyId: string;
  publicKey: string;
}
const reviewers: Record<'ada' | 'alan' | 'grace', Reviewer> = {} as never;
let board: string;

/** Runs the built CLI, as users run it,; the passphrase comes from the environment, as in a script. */
function countersign(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BUILT_CLI, ...args],
      { cwd: repoRoot, env: { ...process.env, COUNTERSIGN_DATA_DIR: path.join(work, 'default-profile'), COUNTERSIGN_PASSPHRASE: 'correct horse', ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

function freshBundle(label: string): string {
  const copy = path.join(work, `${label}-${Math.random().toString(36).slice(2)}`);
  fs.cpSync(demoBundle, copy, { recursive: true });
  return copy;
}

const approve = (bundle: string, who: Reviewer, decision: string, role: string, ...more: string[]) =>
  countersign(['approve', bundle, '--key', who.keyId, '--decision', decision, '--role', role, '--board', board, '--data-dir', who.profile, ...more]);

const status = (bundle: string, ...more: string[]) => countersign(['status', bundle, '--board', board, ...more]);

const approvalFiles = (bundle: string) => (fs.existsSync(path.join(bundle, 'approvals')) ? fs.readdirSync(path.join(bundle, 'approvals')) : []);

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-approvals-cli-'));
  const members = [
    ['ada', 'Ada Byron', ['risk']],
    ['alan', 'Alan Turing', ['privacy', 'ml-lead']],
    ['grace', 'Grace Hopper', ['risk', 'privacy']],
  ] as const;
  await Promise.all(
    members.map(async ([id, name]) => {
      const profile = path.join(work, id);
      const generated = await countersign(['keys', 'generate', '--name', `${id}@laptop`, '--json', '--data-dir', profile]);
      expect(generated.code, generated.stderr).toBe(0);
      // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
      const key = JSON.parse(generated.stdout) as { keyId: string; publicKey: string };
      reviewers[id] = { name, profile, keyId: key.keyId, publicKey: key.publicKey };
    }),
  );
  board = path.join(work, 'board.json');
  const policy = {
    board: 'Test Review Board',
    version: 1,
    members: members.map(([id, name, roles]) => ({ name, roles, keys: [reviewers[id].publicKey] })),
    producers: [{ name: 'training CI', keys: [demoProducerKey] }],
    revokedKeys: [],
    rules: { approvalsRequired: 2, rolesRequired: { risk: 1, privacy: 1 }, authorMayApprove: false, rejectionBlocks: true, maxApprovalAgeDays: 90 },
  };
  fs.writeFileSync(board, JSON.stringify(policy, null, 2));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('countersign keys', () => {
  it('lists and exports a generated key by its key ID, and refuses an unknown one with exit 2', async () => {
    const ada = reviewers.ada;
    const list = await countersign(['keys', 'list', '--data-dir', ada.profile]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(ada.keyId);
    const exported = await countersign(['keys', 'export', ada.keyId, '--data-dir', ada.profile]);
    expect(exported.stdout.trim()).toBe(ada.publicKey);
    const unknown = await countersign(['keys', 'export', reviewers.alan.keyId, '--data-dir', ada.profile]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(reviewers.alan.keyId);
  });

  it('refuses to run without a passphrase when there is no terminal', async () => {
    const result = await countersign(['keys', 'generate', '--name', 'nobody', '--data-dir', path.join(work, 'no-passphrase')], { COUNTERSIGN_PASSPHRASE: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('COUNTERSIGN_PASSPHRASE');
  });
});

describe('countersign approve and status', () => {
  it('is not approved until two members fill the risk and privacy seats, then approved; a member rejection blocks', async () => {
    const bundle = freshBundle('flow');

    const none = await status(bundle);
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('NOT APPROVED fraud-detector@m92');
    expect(none.stdout).toMatch(/risk #1:\s+empty/);
    expect(none.stdout).toMatch(/privacy #1:\s+empty/);
    expect(none.stdout).toContain('✗');

    const byAda = await approve(bundle, reviewers.ada, 'approve', 'risk', '--comment', 'risk reviewed');
    expect(byAda.code, byAda.stderr).toBe(0);
    expect(approvalFiles(bundle)).toHaveLength(1);
    expect((await status(bundle)).code).toBe(1);

    const byAlan = await approve(bundle, reviewers.alan, 'approve', 'privacy');
    expect(byAlan.code, byAlan.stderr).toBe(0);
    const approved = await status(bundle);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain('APPROVED fraud-detector@m92');
    expect(approved.stdout).toMatch(/risk #1:\s+Ada Byron/);
    expect(approved.stdout).toMatch(/privacy #1:\s+Alan Turing/);

    const json = await status(bundle, '--json');
    expect(json.code).toBe(0);
    // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
    const evaluation = JSON.parse(json.stdout).evaluation;
    expect(evaluation.approved).toBe(true);
    expect(evaluation.counted.map((counted: { member: string }) => counted.member).sort()).toEqual(['Ada Byron', 'Alan Turing']);

    const byGrace = await approve(bundle, reviewers.grace, 'reject', 'risk', '--comment', 'fairness metrics missing');
    expect(byGrace.code, byGrace.stderr).toBe(0);
    const blocked = await status(bundle, '--json');
    expect(blocked.code).toBe(1);
    // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
    const rules = JSON.parse(blocked.stdout).evaluation.rules as { id: string; met: boolean }[];
    expect(rules.find((rule) => rule.id === 'no-blocking-rejection')?.met).toBe(false);
  });

  it('refuses to approve a tampered release and writes nothing, but lets a member reject it', async () => {
    const bundle = freshBundle('tampered');
    const model = path.join(bundle, 'artifacts/model/fraud-m92.onnx');
    const bytes = fs.readFileSync(model);
    bytes[100] = bytes[100]! ^ 0xff;
    fs.writeFileSync(model, bytes);

    const refused = await approve(bundle, reviewers.ada, 'approve', 'risk');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Refused to approve fraud-detector@m92');
    expect(refused.stderr).toContain('tampered');
    expect(approvalFiles(bundle)).toEqual([]);

    const rejected = await approve(bundle, reviewers.ada, 'reject', 'risk', '--comment', 'model file changed');
    expect(rejected.code, rejected.stderr).toBe(0);
    expect(approvalFiles(bundle)).toHaveLength(1);
  });

  it('exits 2 and writes nothing for a wrong passphrase, an archive without --out, and a bad decision', async () => {
    const bundle = freshBundle('bad-input');
    const wrong = await countersign(['approve', bundle, '--key', reviewers.ada.keyId, '--decision', 'approve', '--role', 'risk', '--board', board, '--data-dir', reviewers.ada.profile], {
      COUNTERSIGN_PASSPHRASE: 'wrong horse',
    });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/wrong passphrase/i);

    const archive = path.join(work, 'bundle.tar');
    fs.writeFileSync(archive, 'not really an archive');
    const noOut = await approve(archive, reviewers.ada, 'approve', 'risk');
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--out');

    const badDecision = await approve(bundle, reviewers.ada, 'maybe', 'risk');
    expect(badDecision.code).toBe(2);
    expect(approvalFiles(bundle)).toEqual([]);
  });

  it('refuses, exit 1, a role the member does not hold', async () => {
    const bundle = freshBundle('role');
    const result = await approve(bundle, reviewers.ada, 'approve', 'privacy');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('does not hold the role "privacy"');
    expect(approvalFiles(bundle)).toEqual([]);
  });

  it('writes to --out, not into the bundle, and never over an existing file', async () => {
    const bundle = freshBundle('out');
    const out = path.join(work, 'ada-approval.dsse.json');
    const result = await approve(bundle, reviewers.ada, 'approve', 'risk', '--out', out);
    expect(result.code, result.stderr).toBe(0);
    expect(approvalFiles(bundle)).toEqual([]);
    expect(fs.existsSync(out)).toBe(true);
    const again = await approve(bundle, reviewers.ada, 'approve', 'risk', '--out', out);
    expect(again.code).toBe(2);
  });

  it('exits 2 on a bundle that is not there', async () => {
    expect((await status(path.join(work, 'nope'))).code).toBe(2);
  });
});

describe('countersign audit', () => {
  it('verifies the chain (exit 0) and names the first hand-edited entry (exit 1)', async () => {
    const profile = reviewers.ada.profile;
    const intact = await countersign(['audit', 'verify', '--data-dir', profile]);
    expect(intact.code, intact.stdout + intact.stderr).toBe(0);
    expect(intact.stdout).toContain('intact');

    const list = await countersign(['audit', 'list', '--json', '--data-dir', profile]);
    // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
    const actions = (JSON.parse(list.stdout) as { action: string }[]).map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['key.generated', 'approval.made', 'approval.refused']));

    const db = new Database(path.join(profile, 'countersign.sqlite'));
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET detail = '{\"decision\":\"reject\"}' WHERE id = 2").run();
    db.close();

    const broken = await countersign(['audit', 'verify', '--data-dir', profile]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('#2');
  });

  /** A profile with `count` entries, written as the app writes them. */
  function profileWithEntries(name: string, count: number): string {
    const profile = path.join(work, name);
    const store = openStore(profile);
    for (let i = 1; i <= count; i++) store.audit.append({ actor: null, action: 'board.imported', manifestDigest: null, detail: { version: i } });
    store.close();
    return profile;
  }

  it('exports the head, and verify --against it fails (exit 1) once the profile was rolled back behind it, which plain verify cannot see', async () => {
    const profile = profileWithEntries('rollback', 5);
    const headFile = path.join(work, 'rollback-head.json');
    const exported = await countersign(['audit', 'export-head', '--out', headFile, '--data-dir', profile]);
    expect(exported.code, exported.stderr).toBe(0);
    // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
    const head = JSON.parse(fs.readFileSync(headFile, 'utf8')) as Record<string, unknown>;
    expect(head).toEqual({ format: 'countersign-audit-head/1', entries: 5, lastEntryId: 5, headHash: expect.stringMatching(/^[0-9a-f]{64}$/), exportedAt: expect.any(String) });
    const printed = await countersign(['audit', 'export-head', '--data-dir', profile]);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain(String(head['headHash']));

    const holds = await countersign(['audit', 'verify', '--against', headFile, '--data-dir', profile]);
    expect(holds.code, holds.stdout).toBe(0);

    // The whole profile put back to three entries: the rows, the head record and the head file.
    const db = new Database(path.join(profile, 'countersign.sqlite'));
    const third = (db.prepare('SELECT hash FROM audit_log WHERE id = 3').get() as { hash: string }).hash;
    db.exec(`DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id > 3; UPDATE audit_head SET entries = 3, hash = '${third}'`);
    db.close();
    fs.rmSync(path.join(profile, 'audit-head.json'));
    const plain = await countersign(['audit', 'verify', '--data-dir', profile]);
    expect(plain.code, plain.stdout).toBe(0);
    const against = await countersign(['audit', 'verify', '--against', headFile, '--data-dir', profile]);
    expect(against.code).toBe(1);
    expect(against.stdout).toContain('BROKEN at entry #4: the log ends at entry 3 but the exported head');

    const refused = await countersign(['audit', 'export-head', '--out', headFile, '--data-dir', profile]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('already exists');
  });

  it('refuses a head file that is not one (exit 2), naming the problem', async () => {
    const profile = profileWithEntries('bad-head', 1);
    const bad = path.join(work, 'bad-head.json');
    fs.writeFileSync(bad, JSON.stringify({ format: 'countersign-audit-head/1', entries: 2, lastEntryId: 1, headHash: 'ab'.repeat(32), exportedAt: 'x' }));
    const result = await countersign(['audit', 'verify', '--against', bad, '--data-dir', profile]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is not an audit head: lastEntryId must equal entries/);
  });

  it('reports a dropped audit table as a broken trail (exit 1), not an internal error', async () => {
    const profile = profileWithEntries('dropped', 2);
    const db = new Database(path.join(profile, 'countersign.sqlite'));
    db.exec('DROP TABLE audit_log');
    db.close();
    const result = await countersign(['audit', 'verify', '--data-dir', profile]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain('BROKEN at entry #1: the audit log table is missing from the profile database');
    expect(result.stderr).not.toContain('internal error');
  });

  it('warns on stderr when the data directory can be read by other users', async () => {
    const profile = profileWithEntries('open-dir', 1);
    fs.chmodSync(profile, 0o755);
    const result = await countersign(['audit', 'verify', '--data-dir', profile]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning: The data directory .* can be read by other users/);
  });
});
