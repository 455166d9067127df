import { describe, it, expect } from 'vitest';
import type { ManifestSubject } from '../formats/manifest';
import { APPROVALS_NOT_EVALUATED, decideDeployment } from './decide-deployment';
import { diffDeployment } from './diff-deployment';
import { parseKubernetesDeployment } from './kubernetes-deployment';
import { parseNativeDeployment } from './native-deployment';

const MODEL_SHA = '9'.repeat(64);
const OTHER_MODEL_SHA = '8'.repeat(64);
const IMAGE_SHA = 'c'.repeat(64);

const subject = (name: string, kind: ManifestSubject['kind'], digest: Record<string, string>): ManifestSubject => ({ name, kind, digest, size: null, mediaType: null });

const SUBJECTS: ManifestSubject[] = [
  subject('model/fraud-m92.onnx', 'model', { sha256: MODEL_SHA }),
  subject('data/transactions-q1.parquet', 'dataset', { sha256: 'd'.repeat(64) }),
  subject('git+https://git.example.com/fraud.git', 'code', { gitCommit: 'e'.repeat(40) }),
  subject('registry.example.com/fraud/serve', 'container', { sha256: IMAGE_SHA }),
  subject('nginx', 'container', { sha256: 'f'.repeat(64) }),
];

function diffNative(artifacts: unknown[]) {
  return diffDeployment(SUBJECTS, parseNativeDeployment(JSON.stringify({ environment: 'production', artifacts }), 'deployment.json').artifacts);
}

const APPROVED = { approved: true, reasons: [] };

describe('diffDeployment: statuses', () => {
  it('match: the deployed digest equals the manifest, by name and by image repository', () => {
    const rows = diffNative([
      { name: 'model/fraud-m92.onnx', digest: { sha256: MODEL_SHA } },
      { name: 'registry.example.com/fraud/serve', reference: `registry.example.com/fraud/serve@sha256:${IMAGE_SHA}` },
      { name: 'docker.io/library/nginx', reference: `index.docker.io/library/nginx@sha256:${'f'.repeat(64)}` },
    ]);
    expect(rows.map((row) => [row.subject, row.status])).toEqual([
      ['model/fraud-m92.onnx', 'match'],
      ['registry.example.com/fraud/serve', 'match'],
      ['nginx', 'match'],
    ]);
    expect(decideDeployment({ rows, approval: APPROVED })).toEqual({ verdict: 'deployable', reasons: [] });
  });

  it('digest-mismatch: the model was swapped', () => {
    const rows = diffNative([{ name: 'model/fraud-m92.onnx', digest: { sha256: OTHER_MODEL_SHA } }]);
    expect(rows[0]).toMatchObject({ status: 'digest-mismatch', manifestDigest: { sha256: MODEL_SHA }, deployed: { digest: { sha256: OTHER_MODEL_SHA } } });
    const { verdict, reasons } = decideDeployment({ rows, approval: APPROVED });
    expect(verdict).toBe('blocked');
    expect(reasons[0]).toBe(`model/fraud-m92.onnx: digest mismatch: deployed sha256:${OTHER_MODEL_SHA}, the manifest pins sha256:${MODEL_SHA} (deployment.json $.artifacts[0]).`);
  });

  it('digest-mismatch: a digest of an algorithm the manifest does not pin cannot match', () => {
    const rows = diffNative([{ name: 'model/fraud-m92.onnx', digest: { sha512: 'a'.repeat(128) } }]);
    expect(rows[0]!.status).toBe('digest-mismatch');
  });

  it('mutable-reference: an image deployed by :latest, by a bare name, and a model by storage URI', () => {
    const rows = diffNative([
      { name: 'registry.example.com/fraud/serve', reference: 'registry.example.com/fraud/serve:latest' },
      { name: 'nginx', reference: 'nginx' },
      { name: 'model/fraud-m92.onnx', reference: 's3://models/model/fraud-m92.onnx' },
    ]);
    expect(rows.map((row) => [row.subject, row.status, row.detail])).toEqual([
      ['model/fraud-m92.onnx', 'mutable-reference', 'a storage URI carries no digest: whatever the location holds at startup is served'],
      ['registry.example.com/fraud/serve', 'mutable-reference', 'deployed by the tag latest, with no digest: tags move'],
      ['nginx', 'mutable-reference', 'no tag and no digest: the runtime pulls whatever latest is then'],
    ]);
    expect(decideDeployment({ rows, approval: APPROVED }).reasons).toContain(
      'registry.example.com/fraud/serve: mutable reference: registry.example.com/fraud/serve:latest: deployed by the tag latest, with no digest: tags move (deployment.json $.artifacts[0]).',
    );
  });

  it('not-in-manifest: deployed, never approved, even when pinned by a digest', () => {
    const rows = diffNative([
      { name: 'model/fraud-m92.onnx', digest: { sha256: MODEL_SHA } },
      { name: 'registry.example.com/fraud/serve', reference: `registry.example.com/fraud/serve@sha256:${IMAGE_SHA}` },
      { name: 'registry.example.com/fraud/sidecar', reference: `registry.example.com/fraud/sidecar@sha256:${IMAGE_SHA}` },
    ]);
    expect(rows.at(-1)).toMatchObject({ status: 'not-in-manifest', subject: null, manifestDigest: null });
    expect(decideDeployment({ rows, approval: APPROVED }).reasons).toEqual([
      `registry.example.com/fraud/sidecar@sha256:${IMAGE_SHA}: not in the manifest: deployed but never approved (deployment.json $.artifacts[2]).`,
    ]);
  });

  it('not-deployed: only for model and container subjects, and informational', () => {
    const rows = diffNative([{ name: 'model/fraud-m92.onnx', digest: { sha256: MODEL_SHA } }]);
    expect(rows.map((row) => [row.subject, row.status])).toEqual([
      ['model/fraud-m92.onnx', 'match'],
      ['registry.example.com/fraud/serve', 'not-deployed'],
      ['nginx', 'not-deployed'],
    ]);
    expect(decideDeployment({ rows, approval: APPROVED }).verdict).toBe('deployable');
  });

  it('matches Kubernetes images by normalised repository and storage URIs by the path after the bucket', () => {
    const yaml = `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: fraud}
spec:
  predictor:
    model: {storageUri: "gs://models/model/fraud-m92.onnx"}
    containers:
    - {name: serve, image: "registry.example.com/fraud/serve@sha256:${IMAGE_SHA}"}
    - {name: proxy, image: "docker.io/nginx:1.27@sha256:${'f'.repeat(64)}"}
`;
    const rows = diffDeployment(SUBJECTS, parseKubernetesDeployment(yaml, 'isvc.yaml').artifacts);
    expect(rows.map((row) => [row.subject, row.status])).toEqual([
      ['model/fraud-m92.onnx', 'mutable-reference'],
      ['registry.example.com/fraud/serve', 'match'],
      ['nginx', 'match'],
    ]);
  });

  it('gives one row per deployed occurrence of a subject', () => {
    const rows = diffNative([
      { name: 'registry.example.com/fraud/serve', reference: `registry.example.com/fraud/serve@sha256:${IMAGE_SHA}` },
      { name: 'registry.example.com/fraud/serve', reference: 'registry.example.com/fraud/serve:m92' },
    ]);
    expect(rows.filter((row) => row.subject === 'registry.example.com/fraud/serve').map((row) => row.status)).toEqual(['match', 'mutable-reference']);
  });
});

describe('decideDeployment', () => {
  const matching = diffNative([{ name: 'model/fraud-m92.onnx', digest: { sha256: MODEL_SHA } }]);

  it('blocks when approvals were not evaluated (no board policy)', () => {
    expect(decideDeployment({ rows: matching, approval: null })).toEqual({ verdict: 'blocked', reasons: [APPROVALS_NOT_EVALUATED] });
  });

  it('blocks an unapproved release with the policy reasons', () => {
    expect(decideDeployment({ rows: matching, approval: { approved: false, reasons: ['2 approvals required, 0 given'] } })).toEqual({
      verdict: 'blocked',
      reasons: ['Not approved under the board policy: 2 approvals required, 0 given'],
    });
  });

  it('blocks a deployment that deploys nothing', () => {
    expect(decideDeployment({ rows: diffNative([]), approval: APPROVED }).reasons).toEqual(['The deployment deploys no artifact.']);
  });

  it('gives every reason at once: the rows, then the approval', () => {
    const rows = diffNative([
      { name: 'model/fraud-m92.onnx', digest: { sha256: OTHER_MODEL_SHA } },
      { name: 'registry.example.com/fraud/serve', reference: 'registry.example.com/fraud/serve:latest' },
    ]);
    const { verdict, reasons } = decideDeployment({ rows, approval: null });
    expect(verdict).toBe('blocked');
    expect(reasons).toHaveLength(3);
    expect(reasons[0]).toMatch(/^model\/fraud-m92\.onnx: digest mismatch/);
    expect(reasons[1]).toMatch(/^registry\.example\.com\/fraud\/serve: mutable reference/);
    expect(reasons[2]).toBe(APPROVALS_NOT_EVALUATED);
  });
});
