import { describe, it, expect } from 'vitest';
import { parseKubernetesDeployment } from './kubernetes-deployment';
import { DEPLOYMENT_LIMITS, DeploymentFormatError } from './proposed-deployment';
import { parseDeploymentFile } from './read-deployment';

const SHA = 'b'.repeat(64);

const podSpec = (indent: string) =>
  [
    `${indent}initContainers:`,
    `${indent}- {name: fetch, image: "busybox:1.36"}`,
    `${indent}containers:`,
    `${indent}- name: serve`,
    `${indent}  image: registry.example.com/fraud/serve@sha256:${SHA}`,
    `${indent}ephemeralContainers:`,
    `${indent}- {name: debug, image: "localhost:5000/tools/debug:v1"}`,
  ].join('\n');

function locationsOf(text: string): string[] {
  return parseKubernetesDeployment(text, 'app.k8s.yaml').artifacts.map((artifact) => artifact.location);
}

describe('parseKubernetesDeployment: workloads', () => {
  it.each([
    ['Pod', 'spec:', podSpec('  '), 'spec'],
    ['Deployment', 'spec:\n  template:\n    spec:', podSpec('      '), 'spec.template.spec'],
    ['StatefulSet', 'spec:\n  template:\n    spec:', podSpec('      '), 'spec.template.spec'],
    ['DaemonSet', 'spec:\n  template:\n    spec:', podSpec('      '), 'spec.template.spec'],
    ['ReplicaSet', 'spec:\n  template:\n    spec:', podSpec('      '), 'spec.template.spec'],
    ['Job', 'spec:\n  template:\n    spec:', podSpec('      '), 'spec.template.spec'],
    ['CronJob', 'spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:', podSpec('          '), 'spec.jobTemplate.spec.template.spec'],
  ])('reads every init, regular and ephemeral container image of a %s', (kind, head, spec, specPath) => {
    const text = `apiVersion: v1\nkind: ${kind}\nmetadata: {name: fraud}\n${head}\n${spec}\n`;
    const deployment = parseKubernetesDeployment(text, 'app.k8s.yaml');
    expect(deployment.artifacts.map((artifact) => [artifact.name, artifact.digest])).toEqual([
      ['docker.io/library/busybox', null],
      ['registry.example.com/fraud/serve', { sha256: SHA }],
      ['localhost:5000/tools/debug', null],
    ]);
    expect(deployment.artifacts[1]!.location).toBe(`app.k8s.yaml document 1 (${kind} fraud) ${specPath}.containers[0].image`);
  });

  it('reads every document of a multi-document file, skips objects that deploy nothing and reads List items', () => {
    const text = [
      'apiVersion: v1\nkind: Service\nmetadata: {name: serve}',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: prod}\nspec: {containers: [{name: a, image: nginx}]}',
      '',
      'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: b, namespace: prod}, spec: {containers: [{name: b, image: "redis:7"}]}}',
    ].join('\n---\n');
    const deployment = parseKubernetesDeployment(text, 'app.k8s.yaml');
    expect(deployment.artifacts.map((artifact) => artifact.reference)).toEqual(['nginx', 'redis:7']);
    expect(deployment.artifacts[1]!.location).toBe('app.k8s.yaml document 4 (Pod b) items[0].spec.containers[0].image');
    expect(deployment.findings.map((finding) => finding.code)).toEqual(['object-skipped']);
    expect(deployment.environment).toBe('prod');
  });

  it('reads a KServe InferenceService: predictor storageUri, predictor image, custom containers, transformer', () => {
    const text = `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: fraud}
spec:
  predictor:
    model:
      modelFormat: {name: onnx}
      storageUri: s3://models/model/fraud-m92.onnx
      image: kserve/sklearnserver:v0.14.0
    containers:
    - {name: sidecar, image: "registry.example.com/fraud/serve@sha256:${SHA}"}
  transformer:
    containers:
    - {name: t, image: registry.example.com/fraud/transformer:v3}
`;
    const deployment = parseKubernetesDeployment(text, 'isvc.yaml');
    expect(deployment.artifacts.map((artifact) => [artifact.name, artifact.storageUri !== null])).toEqual([
      ['registry.example.com/fraud/serve', false],
      ['s3://models/model/fraud-m92.onnx', true],
      ['docker.io/kserve/sklearnserver', false],
      ['registry.example.com/fraud/transformer', false],
    ]);
  });

  it('reads an oci:// storageUri (a KServe model image) as an image pinned by its digest', () => {
    const text = `apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: fraud}\nspec:\n  predictor:\n    sklearn: {storageUri: "oci://registry.example.com/models/fraud@sha256:${SHA}"}\n`;
    const [artifact] = parseKubernetesDeployment(text, 'isvc.yaml').artifacts;
    expect(artifact).toMatchObject({ name: 'registry.example.com/models/fraud', digest: { sha256: SHA }, storageUri: null });
  });

  it('reports an image with both a tag and a digest: the digest decides', () => {
    const deployment = parseKubernetesDeployment(`kind: Pod\nspec: {containers: [{name: a, image: "nginx:1.27@sha256:${SHA}"}]}\n`, 'pod.yaml');
    expect(deployment.artifacts[0]!.digest).toEqual({ sha256: SHA });
    expect(deployment.findings).toEqual([expect.objectContaining({ code: 'tag-and-digest', severity: 'warning' })]);
  });

  it('names the file, document and field of an invalid image reference', () => {
    expect(() => locationsOf('kind: Pod\nspec: {containers: [{name: a, image: nginx}]}\n---\nkind: Pod\nmetadata: {name: bad}\nspec: {containers: [{name: a, image: Nginx}]}\n')).toThrow(
      /app\.k8s\.yaml document 2 \(Pod bad\) spec\.containers\[0\]\.image: "Nginx" is not a valid image reference: repository names must be lowercase/,
    );
  });

  it('refuses an object without a kind and a workload without its pod spec', () => {
    expect(() => locationsOf('metadata: {name: x}\n')).toThrow(/document 1: the object has no "kind"/);
    expect(() => locationsOf('kind: Deployment\nmetadata: {name: x}\nspec: {}\n')).toThrow(/\(Deployment x\): spec\.template: expected a mapping/);
  });
});

describe('parseKubernetesDeployment: hostile YAML', () => {
  it('refuses a billion-laughs alias bomb with a clear error', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level);
      const current = String.fromCharCode(97 + level);
      levels.push(`${current}: &${current} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const bomb = `kind: Pod\n${levels.join('\n')}\n`;
    expect(() => parseKubernetesDeployment(bomb, 'bomb.k8s.yaml')).toThrow(DeploymentFormatError);
    expect(() => parseKubernetesDeployment(bomb, 'bomb.k8s.yaml')).toThrow(/bomb\.k8s\.yaml document 1: too many alias expansions \(more than 100\)/);
  });

  it('refuses a file over the size cap before parsing it', () => {
    const huge = 'kind: Pod\n# ' + 'x'.repeat(DEPLOYMENT_LIMITS.maxBytes) + '\n';
    expect(() => parseKubernetesDeployment(huge, 'huge.yaml')).toThrow(/huge\.yaml: the file is \d+ bytes, more than the limit of 4194304 bytes/);
  });

  it('refuses more documents than the cap', () => {
    const many = 'kind: Service\n---\n'.repeat(DEPLOYMENT_LIMITS.maxDocuments + 1);
    expect(() => parseKubernetesDeployment(many, 'many.yaml')).toThrow(/many\.yaml document 1001: more than 1000 YAML documents/);
  });

  it.each([
    ['an unknown local tag', '!foo {}'],
    ['a language-specific tag', '!!python/object:os.system {}'],
    ['a YAML 1.1 tag outside the core schema', '!!binary aGVsbG8='],
    ['a YAML 1.1 set', '!!set {a: null}'],
  ])('refuses %s', (_what, value) => {
    expect(() => parseKubernetesDeployment(`kind: Pod\nspec: ${value}\n`, 'tags.yaml')).toThrow(/tags\.yaml document 1: line 2, column 7: Unresolved tag/);
  });

  it('refuses duplicate keys, naming the line', () => {
    expect(() => parseKubernetesDeployment('kind: Pod\nspec: {}\n---\nkind: Pod\nkind: Deployment\n', 'dup.yaml')).toThrow(/dup\.yaml document 2: line 5, column 1: Map keys must be unique/);
  });

  it('does not merge `<<` keys: an image cannot be slipped in from an anchor', () => {
    const text = 'base: &base {image: "evil:latest"}\nkind: Pod\nspec:\n  containers:\n  - <<: *base\n    name: a\n';
    const deployment = parseKubernetesDeployment(text, 'merge.yaml');
    expect(deployment.artifacts).toEqual([]);
    expect(deployment.findings.map((finding) => finding.code)).toEqual(['container-without-image']);
  });

  it('refuses collection keys and invalid UTF-8', () => {
    expect(() => parseKubernetesDeployment('kind: Pod\n? [a]\n: b\n', 'keys.yaml')).toThrow(/keys\.yaml document 1: line 2, column 3: .*keys must be strings/);
    expect(() => parseKubernetesDeployment(new Uint8Array([0x6b, 0x3a, 0xff]), 'bytes.yaml')).toThrow(/bytes\.yaml: the file is not valid UTF-8/);
  });

  it('keeps a __proto__ key as data, never as a prototype', () => {
    parseKubernetesDeployment('kind: Pod\n__proto__: {polluted: true}\nspec: {containers: []}\n', 'proto.yaml');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses syntax errors with the line', () => {
    expect(() => parseKubernetesDeployment('kind: Pod\nspec: {containers: [\n', 'broken.yaml')).toThrow(/broken\.yaml document 1: line \d+, column \d+:/);
  });
});

describe('parseDeploymentFile', () => {
  it('reads .json natively and .yaml/.yml as Kubernetes; other names are refused', () => {
    expect(parseDeploymentFile('{"environment": "prod", "artifacts": []}', 'deployment.json').format).toBe('native');
    expect(parseDeploymentFile('kind: Pod\nspec: {containers: []}\n', 'serve.k8s.yaml').format).toBe('kubernetes');
    expect(parseDeploymentFile('kind: Pod\nspec: {containers: []}\n', 'serve.yml').format).toBe('kubernetes');
    expect(() => parseDeploymentFile('x', 'deployment.txt')).toThrow(/deployment\.txt: a deployment file is \.json/);
  });
});
