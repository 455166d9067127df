import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createPublicKey, verify } from 'node:crypto';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILT_CLI } from './built-cli';
import { sshKeygen, startTestAgent, type TestAgent } from '../services/keys/test-ssh-agent';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const demoBundle = path.join(repoRoot, 'assets/demo/bundle');
const demoProducerKey = fs.readFileSync(path.join(demoBundle, 'keys/training-ci.pub'), 'utf8').trim();

let work: string;
let agent: TestAgent;
let reviewer: ReturnType<typeof sshKeygen>;
let outsider: ReturnType<typeof sshKeygen>;
let board: string;

function countersign(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BUILT_CLI, ...args],
      { cwd: repoRoot, env: { ...process.env, COUNTERSIGN_PASSPHRASE: '', SSH_AUTH_SOCK: agent.socket, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

function freshBundle(): string {
  const copy = path.join(work, `bundle-${Math.random().toString(36).slice(2)}`);
  fs.cpSync(demoBundle, copy, { recursive: true });
  return copy;
}

/** Checks a DSSE envelope's one signature with OpenSSL (node:crypto) over the PAE built here by hand, not by Countersign. */
function verifiesWith(envelopeText: string, publicKeyFile: string): boolean {
  // eslint-disable-next-line no-restricted-syntax -- a file our own command wrote
  const envelope = JSON.parse(envelopeText) as { payloadType: string; payload: string; signatures: { keyid: string; sig: string }[] };
  const payload = Buffer.from(envelope.payload, 'base64');
  const message = Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(envelope.payloadType)} ${envelope.payloadType} ${payload.length} `), payload]);
  const blob = Buffer.from(fs.readFileSync(publicKeyFile, 'utf8').split(' ')[1]!, 'base64');
  const key = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), blob.subarray(blob.length - 32)]), format: 'der', type: 'spki' });
  return envelope.signatures.length === 1 && verify(null, message, key, Buffer.from(envelope.signatures[0]!.sig, 'base64'));
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-ssh-agent-cli-'));
  agent = await startTestAgent(work);
  reviewer = sshKeygen(work, 'ed25519', 'grace-token');
  outsider = sshKeygen(work, 'ecdsa', 'old-ecdsa');
  agent.add(reviewer.privateKeyFile);
  agent.add(outsider.privateKeyFile);
  // The private key file is gone: only the agent holds the key, as on a hardware token.
  fs.rmSync(reviewer.privateKeyFile);
  board = path.join(work, 'board.json');
  fs.writeFileSync(
    board,
    JSON.stringify({
      board: 'Agent Board',
      version: 1,
      members: [{ name: 'Grace Hopper', roles: ['risk'], keys: [fs.readFileSync(reviewer.publicKeyFile, 'utf8').trim()] }],
      producers: [{ name: 'training CI', keys: [demoProducerKey] }],
      revokedKeys: [],
      rules: { approvalsRequired: 1, rolesRequired: { risk: 1 }, authorMayApprove: false, rejectionBlocks: true, maxApprovalAgeDays: 90 },
    }),
  );
});
afterAll(async () => {
  await agent.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('countersign approve --ssh-agent', () => {
  it('approves with a key only the agent holds, without a passphrase, and audits it as any approval', async () => {
    const bundle = freshBundle();
    const profile = path.join(work, 'grace-profile');
    const approved = await countersign(['approve', bundle, '--ssh-agent', reviewer.keyId, '--decision', 'approve', '--role', 'risk', '--board', board, '--data-dir', profile]);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toContain('The release is now APPROVED');
    const [file] = fs.readdirSync(path.join(bundle, 'approvals'));
    expect(verifiesWith(fs.readFileSync(path.join(bundle, 'approvals', file!), 'utf8'), reviewer.publicKeyFile)).toBe(true);

    const status = await countersign(['status', bundle, '--board', board, '--data-dir', profile]);
    expect(status.code, status.stdout + status.stderr).toBe(0);

    const audit = await countersign(['audit', 'list', '--json', '--data-dir', profile]);
    // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
    const entries = JSON.parse(audit.stdout) as { action: string; actor: string | null }[];
    expect(entries.filter((entry) => entry.action === 'approval.made').map((entry) => entry.actor)).toEqual([reviewer.keyId]);
  });

  it('refuses an agent key that is not Ed25519 and a key the agent does not hold, writing nothing', async () => {
    const bundle = freshBundle();
    const profile = path.join(work, 'refused-profile');
    const ecdsa = await countersign(['approve', bundle, '--ssh-agent', outsider.keyId, '--decision', 'approve', '--role', 'risk', '--board', board, '--data-dir', profile]);
    expect(ecdsa.code).toBe(2);
    expect(ecdsa.stderr).toMatch(/ecdsa-sha2-nistp256 key: Countersign signs with Ed25519 keys only/);
    const absent = sshKeygen(work, 'ed25519', 'absent');
    const missing = await countersign(['approve', bundle, '--ssh-agent', absent.keyId, '--decision', 'approve', '--role', 'risk', '--board', board, '--data-dir', profile]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`does not hold key ${absent.keyId}`);
    const noAgent = await countersign(['approve', bundle, '--ssh-agent', reviewer.keyId, '--decision', 'approve', '--role', 'risk', '--board', board, '--data-dir', profile], { SSH_AUTH_SOCK: '' });
    expect(noAgent.code).toBe(2);
    expect(noAgent.stderr).toMatch(/SSH_AUTH_SOCK is not set/);
    expect(fs.existsSync(path.join(bundle, 'approvals'))).toBe(fs.existsSync(path.join(demoBundle, 'approvals')));
  });

  it('takes exactly one of --key and --ssh-agent', async () => {
    const both = await countersign(['approve', freshBundle(), '--key', reviewer.keyId, '--ssh-agent', reviewer.keyId, '--decision', 'approve', '--role', 'risk', '--board', board]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/one of --key <key-id> and --ssh-agent <key-id>/);
  });
});
