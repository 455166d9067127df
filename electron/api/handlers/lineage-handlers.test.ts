import { describe, it, expect, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commands, type CommandInput, type CommandName, type CommandOutput, type Result } from '../../../shared/api/contract';
import { createDispatcher } from '../dispatcher';

const demoBundle = fileURLToPath(new URL('../../../assets/demo/bundle', import.meta.url));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-lineage-handler-'));
const dispatcher = createDispatcher({ dataDir: path.join(work, 'profile'), demoBundlePath: null, hooks: { host: 'web', emit: () => {} } });
const call = <C extends CommandName>(command: C, input: CommandInput<C>) => dispatcher.dispatch(command, input) as Promise<Result<CommandOutput<C>>>;
const ok = async <C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandOutput<C>> => {
  const result = await call(command, input);
  if (!result.ok) throw new Error(`${command}: ${result.error.message}`);
  return result.value;
};
const lineageOf = async (file: string) => (await ok('session.open', { path: file, verify: false })).sessionId;

afterAll(async () => {
  await dispatcher.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('lineage handlers', () => {
  it('serve the demo graph in the shape the contract promises', async () => {
    const graph = await ok('lineage.graph', { sessionId: await lineageOf(demoBundle) });
    expect(commands['lineage.graph'].output.parse(graph)).toEqual(graph);
    expect(graph.sourceFiles).toEqual(['lineage.json']);
    expect(graph.nodes.find((node) => node.id === 'model_m92')).toEqual({ id: 'model_m92', kind: 'model', name: 'model m92', version: null, subject: 'model/fraud-m92.onnx' });
  });

  it('answer impact and path queries', async () => {
    const sessionId = await lineageOf(demoBundle);
    const impact = await ok('lineage.impact', { sessionId, nodeId: 'transactions_q1', direction: 'downstream' });
    expect(commands['lineage.impact'].output.parse(impact)).toEqual(impact);
    expect(impact.affected.find((node) => node.id === 'deploy_production')!.degree).toBe(5);
    const paths = await ok('lineage.path', { sessionId, from: 'features_v47', to: 'model_m92' });
    expect(paths).toEqual({ paths: [['features_v47', 'training_j1829', 'model_m92']], truncated: false });
  });

  it('answer not-found for an unknown node and invalid-format for a cyclic lineage file', async () => {
    const unknown = await call('lineage.impact', { sessionId: await lineageOf(demoBundle), nodeId: 'ghost', direction: 'upstream' });
    expect(unknown).toEqual({ ok: false, error: { code: 'not-found', message: 'The lineage has no node with id "ghost".' } });

    const file = path.join(work, 'lineage.json');
    fs.writeFileSync(file, JSON.stringify({ nodes: [{ id: 'a', kind: 'source' }], edges: [{ from: 'a', to: 'a' }] }));
    const cyclic = await call('session.open', { path: file });
    expect(cyclic).toEqual({ ok: false, error: { code: 'invalid-format', message: 'lineage.json $.edges[0]: cycle: the edge runs from "a" to itself' } });
  });

  it('answer only lineage questions of a lineage file', async () => {
    const file = path.join(work, 'plain-lineage.json');
    fs.writeFileSync(file, JSON.stringify({ nodes: [{ id: 'a', kind: 'source' }], edges: [] }));
    const opened = await ok('session.open', { path: file });
    expect(opened).toEqual(expect.objectContaining({ kind: 'lineage-file', report: null }));
    expect((await ok('lineage.graph', { sessionId: opened.sessionId })).nodes.map((node) => node.id)).toEqual(['a']);
    const refused = await call('session.report', { sessionId: opened.sessionId });
    expect(refused).toEqual({ ok: false, error: { code: 'unsupported', message: expect.stringContaining('is a lineage file, not a bundle') } });
  });
});

describe('the impact report counts approvals that verify, not approval files', () => {
  const demoDir = path.join(demoBundle, '..');
  const cli = fileURLToPath(new URL('../../../electron/cli/countersign.mjs', import.meta.url));

  it('counts a member approval and not a forged file, and none without a board policy', async () => {
    const bundle = path.join(work, 'approved-copy');
    fs.cpSync(demoBundle, bundle, { recursive: true });
    // Ada, a board member in the risk seat, approves with the CLI from her own profile.
    const env = { ...process.env, COUNTERSIGN_DATA_DIR: path.join(work, 'ada'), COUNTERSIGN_PASSPHRASE: 'demo reviewers only' };
    const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args], { env, encoding: 'utf8' });
    run('keys', 'import', path.join(demoDir, 'reviewers', 'ada.key'), '--name', 'ada');
    const adaKeyId = execFileSync('ssh-keygen', ['-lf', path.join(demoDir, 'reviewers', 'ada.pub')], { encoding: 'utf8' }).split(' ')[1]!;
    run('approve', bundle, '--key', adaKeyId, '--decision', 'approve', '--role', 'risk', '--board', path.join(demoDir, 'board.json'));
    // A second file that claims to be an approval and verifies under nobody's key.
    fs.writeFileSync(path.join(bundle, 'approvals', 'forged.dsse.json'), JSON.stringify({ payloadType: 'application/vnd.in-toto+json', payload: 'e30=', signatures: [{ keyid: 'SHA256:nobody', sig: 'AAAA' }] }));
    expect(fs.readdirSync(path.join(bundle, 'approvals'))).toHaveLength(2);

    const modelImpact = async () => {
      const { sessionId } = await ok('session.open', { path: bundle });
      const impact = await ok('lineage.impact', { sessionId, nodeId: 'features_v47', direction: 'downstream' });
      return impact.affected.find((node) => node.id === 'model_m92')!;
    };
    expect((await modelImpact()).approvals).toBe(0);

    const text = fs.readFileSync(path.join(demoDir, 'board.json'), 'utf8');
    const preview = await ok('trust.previewBoard', { text });
    await ok('trust.importBoard', { text, confirmDigest: preview.next.digest });
    const model = await modelImpact();
    expect(model.releases).toEqual(['fraud-detector@m92']);
    expect(model.approvals).toBe(1);
  });
});
