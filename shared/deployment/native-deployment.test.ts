import { describe, it, expect } from 'vitest';
import { parseNativeDeployment } from './native-deployment';
import { DeploymentFormatError } from './proposed-deployment';

const MODEL_SHA = '9'.repeat(64);
const IMAGE_SHA = 'c'.repeat(64);

const parse = (value: unknown) => parseNativeDeployment(JSON.stringify(value), 'deployment.json');

describe('parseNativeDeployment', () => {
  it('reads artifacts pinned by a digest set and by an image reference', () => {
    const deployment = parse({
      environment: 'production',
      artifacts: [
        { name: 'model/fraud-m92.onnx', digest: { sha256: MODEL_SHA } },
        { name: 'registry.example.com/fraud/serve', reference: `registry.example.com/fraud/serve@sha256:${IMAGE_SHA}` },
        { name: 'registry.example.com/fraud/serve', reference: 'registry.example.com/fraud/serve:latest' },
      ],
    });
    expect(deployment.environment).toBe('production');
    expect(deployment.artifacts.map(({ name, digest, reference }) => ({ name, digest, reference }))).toEqual([
      { name: 'model/fraud-m92.onnx', digest: { sha256: MODEL_SHA }, reference: null },
      { name: 'registry.example.com/fraud/serve', digest: { sha256: IMAGE_SHA }, reference: `registry.example.com/fraud/serve@sha256:${IMAGE_SHA}` },
      { name: 'registry.example.com/fraud/serve', digest: null, reference: 'registry.example.com/fraud/serve:latest' },
    ]);
    expect(deployment.artifacts[2]!.location).toBe('deployment.json $.artifacts[2]');
  });

  it('reads a storage URI reference as unpinned', () => {
    const [artifact] = parse({ environment: 'prod', artifacts: [{ name: 'model/fraud-m92.onnx', reference: 's3://models/model/fraud-m92.onnx' }] }).artifacts;
    expect(artifact).toMatchObject({ digest: null, storageUri: 's3://models/model/fraud-m92.onnx' });
  });

  it('keeps unknown fields as findings', () => {
    const deployment = parse({ environment: 'prod', region: 'eu', artifacts: [{ name: 'a', digest: { sha256: MODEL_SHA }, replicas: 3 }] });
    expect(deployment.findings.map((finding) => finding.location)).toEqual(['deployment.json $.region', 'deployment.json $.artifacts[0].replicas']);
  });

  it.each([
    ['a missing environment', { artifacts: [] }, /deployment\.json \$: missing required field "environment"/],
    ['an artifact with neither digest nor reference', { environment: 'p', artifacts: [{ name: 'a' }] }, /deployment\.json \$\.artifacts\[0\]: an artifact needs a "digest" or a "reference"/],
    ['an uppercase digest', { environment: 'p', artifacts: [{ name: 'a', digest: { sha256: MODEL_SHA.replace(/9/g, 'A') } }] }, /\$\.artifacts\[0\]\.digest\.sha256: .*uppercase hex/],
    ['a prefixed digest', { environment: 'p', artifacts: [{ name: 'a', digest: { sha256: `sha256:${MODEL_SHA}` } }] }, /prefix "sha256:"/],
    ['an invalid image reference', { environment: 'p', artifacts: [{ name: 'x', reference: 'Registry.example.com/Fraud/serve:latest' }] }, /deployment\.json \$\.artifacts\[0\]\.reference: .*lowercase/],
    ['a reference pulling another repository than its name', { environment: 'p', artifacts: [{ name: 'registry.example.com/fraud/serve', reference: `evil.example.com/serve@sha256:${IMAGE_SHA}` }] }, /pulls evil\.example\.com\/serve, but the artifact is named registry\.example\.com\/fraud\/serve/],
    ['a digest disagreeing with its reference', { environment: 'p', artifacts: [{ name: 'nginx', digest: { sha256: MODEL_SHA }, reference: `nginx@sha256:${IMAGE_SHA}` }] }, /disagree/],
  ])('refuses %s, naming the file and JSON path', (_what, value, message) => {
    expect(() => parse(value)).toThrow(DeploymentFormatError);
    expect(() => parse(value)).toThrow(message);
  });

  it('refuses duplicate keys (strict JSON)', () => {
    expect(() => parseNativeDeployment('{"environment": "a", "environment": "b", "artifacts": []}', 'deployment.json')).toThrow(/deployment\.json \$.*duplicate/i);
  });
});
