import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILT_CLI } from './built-cli';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const demoBundle = path.join(repoRoot, 'assets/demo/bundle');

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-lineage-cli-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Runs the built CLI, as users run it, and returns its exit code and output. */
function countersign(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BUILT_CLI, ...args], { cwd: repoRoot, env: { ...process.env, COUNTERSIGN_DATA_DIR: path.join(work, 'profile') } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

function lineageFile(name: string, lineage: unknown): string {
  const file = path.join(work, name);
  fs.writeFileSync(file, JSON.stringify(lineage));
  return file;
}

describe('countersign lineage impact', () => {
  it('lists what the demo raw transactions reach, nearest first, with the release and deployment', async () => {
    const { code, stdout } = await countersign('lineage', 'impact', demoBundle, '--node', 'transactions_q1');
    expect(code).toBe(0);
    expect(stdout).toContain('5 nodes downstream of transactions_q1');
    expect(stdout).toMatch(/ 4 {2}model {6}model_m92 {2}"model m92" {2}\(subject model\/fraud-m92\.onnx; releases fraud-detector@m92; deployed to production\)/);
    expect(stdout).toMatch(/ 5 {2}deployment deploy_production/);
  });

  it('prints CSV rows a spreadsheet reads, with --csv', async () => {
    const { code, stdout } = await countersign('lineage', 'impact', demoBundle, '--node', 'transactions_q1', '--csv');
    expect(code).toBe(0);
    const rows = stdout.split('\r\n');
    expect(rows[0]).toBe('id,name,kind,degree,subject,releases,approvals,deployments');
    expect(rows[4]).toBe('model_m92,model m92,model,4,model/fraud-m92.onnx,fraud-detector@m92,0,production');
    expect(rows[5]).toBe('deploy_production,production,deployment,5,,,0,');
  });

  it('goes upstream and prints JSON', async () => {
    const { code, stdout } = await countersign('lineage', 'impact', path.join(demoBundle, 'lineage.json'), '--node', 'deploy_production', '--upstream', '--json');
    expect(code).toBe(0);
    // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
    const report = JSON.parse(stdout);
    expect(report.direction).toBe('upstream');
    expect(report.affected.map((node: { id: string; degree: number }) => `${node.id}@${node.degree}`)).toEqual(['model_m92@1', 'training_j1829@2', 'features_v47@3', 'fraud_signal_v2.3@4', 'transactions_q1@5']);
  });

  it('exits 2 for an unknown node id, pointing to the id of a node with that name', async () => {
    const { code, stderr } = await countersign('lineage', 'impact', demoBundle, '--node', 'raw transactions Q1');
    expect(code).toBe(2);
    expect(stderr).toContain('no node with id "raw transactions Q1" ("transactions_q1" is named so: give the id)');
  });

  it('exits 2 and names the cycle for a cyclic lineage', async () => {
    const file = lineageFile('cyclic.json', { nodes: [{ id: 'a', kind: 'source' }, { id: 'b', kind: 'transform' }, { id: 'c', kind: 'model' }], edges: [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'c', to: 'b' }] });
    const { code, stderr } = await countersign('lineage', 'impact', file, '--node', 'a');
    expect(code).toBe(2);
    expect(stderr).toContain('cyclic.json: the lineage has a cycle: "b" → "c" → "b"');
  });

  it('exits 2 for an edge to an unknown node, naming the edge', async () => {
    const file = lineageFile('dangling.json', { nodes: [{ id: 'a', kind: 'source' }], edges: [{ from: 'a', to: 'ghost' }] });
    const { code, stderr } = await countersign('lineage', 'impact', file, '--node', 'a');
    expect(code).toBe(2);
    expect(stderr).toContain('dangling.json $.edges[0].to: the edge names node id "ghost", which no node has');
  });

  it('exits 2 on usage errors', async () => {
    expect((await countersign('lineage', 'impact', demoBundle)).code).toBe(2);
    expect((await countersign('lineage', 'impact', demoBundle, '--node', 'a', '--json', '--csv')).code).toBe(2);
    expect((await countersign('lineage', 'trace', demoBundle)).code).toBe(2);
  });
});

describe('countersign lineage path', () => {
  it('prints the path from raw transactions to production and exits 0', async () => {
    const { code, stdout } = await countersign('lineage', 'path', demoBundle, '--from', 'transactions_q1', '--to', 'deploy_production');
    expect(code).toBe(0);
    expect(stdout).toBe('  5 hops: transactions_q1 → fraud_signal_v2.3 → features_v47 → training_j1829 → model_m92 → deploy_production\n');
  });

  it('exits 1 when there is no path', async () => {
    const { code, stdout } = await countersign('lineage', 'path', demoBundle, '--from', 'deploy_production', '--to', 'transactions_q1', '--json');
    expect(code).toBe(1);
    // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
    expect(JSON.parse(stdout)).toEqual({ paths: [], truncated: false });
  });

  it('exits 2 when a node is unknown', async () => {
    const { code } = await countersign('lineage', 'path', demoBundle, '--from', 'transactions_q1', '--to', 'nowhere');
    expect(code).toBe(2);
  });
});
