import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTrustContext } from '../../../shared/verify/trust';
import { withSession } from '../session/test-sessions';
import { diffReleaseDeployment, type DeploymentInput } from './diff-bundle-deployment';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const demoBundle = path.join(repoRoot, 'assets/demo/bundle');
const trust = buildTrustContext({ source: 'board-file', board: null });
const approved = { approved: true, reasons: [] };

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-deploy-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** A copy of the demo bundle with its deployment files replaced by `files`. */
function bundleWith(files: Record<string, string>): string {
  const copy = fs.mkdtempSync(path.join(work, 'bundle-'));
  fs.cpSync(demoBundle, copy, { recursive: true });
  fs.rmSync(path.join(copy, 'deployment.json'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(copy, name), text);
  return copy;
}

const diff = (bundle: string, deployment: DeploymentInput = { from: 'bundle' }) =>
  withSession(bundle, {}, (session) => diffReleaseDeployment({ manifest: session.manifestCheck(trust), bundleDeployment: () => session.bundleDeployment() }, deployment, approved));
const podWith = (image: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: "${image}"}]}\n`;

describe('diffReleaseDeployment', () => {
  it("uses the bundle's own deployment.json: the demo deployment matches and is deployable once approved", async () => {
    const result = await diff(demoBundle);
    expect(result.source).toEqual({ origin: 'bundle', file: 'deployment.json', format: 'native', environment: 'production' });
    expect(result.rows.map((row) => row.status)).toEqual(['match', 'match']);
    expect(result).toMatchObject({ verdict: 'deployable', reasons: [], approved: true, release: 'fraud-detector@m92' });
  });

  it("reads the bundle's Kubernetes YAML files together as one deployment", async () => {
    const bundle = bundleWith({ 'serve.k8s.yaml': podWith('registry.example.com/fraud/serve:m92'), 'proxy.k8s.yaml': podWith('nginx') });
    const result = await diff(bundle);
    expect(result.source.file).toBe('proxy.k8s.yaml, serve.k8s.yaml');
    expect(result.rows.map((row) => [row.subject ?? row.deployed?.name, row.status])).toEqual([
      ['model/fraud-m92.onnx', 'not-deployed'],
      ['registry.example.com/fraud/serve', 'mutable-reference'],
      ['docker.io/library/nginx', 'not-in-manifest'],
    ]);
    expect(result.verdict).toBe('blocked');
  });

  it('refuses a bundle proposing both deployment.json and YAML, and one proposing none', async () => {
    const both = bundleWith({ 'deployment.json': '{"environment": "p", "artifacts": []}', 'serve.k8s.yaml': podWith('nginx') });
    await expect(diff(both)).rejects.toThrow(/both deployment\.json and Kubernetes YAML/);
    await expect(diff(bundleWith({}))).rejects.toThrow(/has no deployment\.json, deployment\.yaml or \*\.k8s\.yaml/);
    await expect(diff(bundleWith({}))).rejects.toMatchObject({ code: 'not-found', subcode: 'no-deployment' });
  });

  it('takes a deployment opened in the UI as text, by its file name', async () => {
    const result = await diff(demoBundle, { from: 'text', fileName: 'C:\\Users\\me\\serve.yaml', text: podWith('registry.example.com/fraud/serve:latest') });
    expect(result.source).toMatchObject({ origin: 'opened', file: 'serve.yaml', format: 'kubernetes' });
    expect(result.reasons[0]).toMatch(/^registry\.example\.com\/fraud\/serve: mutable reference/);
  });

  it('refuses a deployment file over the size cap before reading it', async () => {
    const huge = path.join(work, 'huge.json');
    fs.writeFileSync(huge, ' '.repeat(4 * 1024 * 1024 + 1));
    await expect(diff(demoBundle, { from: 'file', path: huge })).rejects.toThrow(/huge\.json: the file is 4194305 bytes, more than the limit/);
  });
});
