import { describe, it, expect } from 'vitest';
import { normaliseRepositoryName, parseImageReference, ImageReferenceError } from './image-reference';

const SHA = 'a'.repeat(64);
const OTHER_SHA = '0123456789abcdef'.repeat(4);

describe('parseImageReference: real-world references', () => {
  const valid: [reference: string, repository: string, tag: string | null, digest: string | null][] = [
    ['nginx', 'docker.io/library/nginx', null, null],
    ['nginx:latest', 'docker.io/library/nginx', 'latest', null],
    ['nginx:1.27.3-alpine', 'docker.io/library/nginx', '1.27.3-alpine', null],
    ['library/nginx', 'docker.io/library/nginx', null, null],
    ['docker.io/library/nginx', 'docker.io/library/nginx', null, null],
    ['docker.io/nginx', 'docker.io/library/nginx', null, null],
    ['index.docker.io/library/nginx', 'docker.io/library/nginx', null, null],
    ['bitnami/redis:7.4', 'docker.io/bitnami/redis', '7.4', null],
    [`nginx@sha256:${SHA}`, 'docker.io/library/nginx', null, `sha256:${SHA}`],
    [`nginx:1.27@sha256:${SHA}`, 'docker.io/library/nginx', '1.27', `sha256:${SHA}`],
    ['localhost:5000/x', 'localhost:5000/x', null, null],
    ['localhost/x:dev', 'localhost/x', 'dev', null],
    ['localhost:5000/team/app:v1', 'localhost:5000/team/app', 'v1', null],
    ['registry.example.com:8443/fraud/serve:2.1', 'registry.example.com:8443/fraud/serve', '2.1', null],
    [`registry.example.com/fraud/serve@sha256:${OTHER_SHA}`, 'registry.example.com/fraud/serve', null, `sha256:${OTHER_SHA}`],
    ['ghcr.io/org/team/sub/image:v2', 'ghcr.io/org/team/sub/image', 'v2', null],
    ['gcr.io/distroless/static-debian12:nonroot', 'gcr.io/distroless/static-debian12', 'nonroot', null],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud/serve:m92', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud/serve', 'm92', null],
    ['quay.io/prometheus/node-exporter:v1.8.2', 'quay.io/prometheus/node-exporter', 'v1.8.2', null],
    ['Registry.Example.com/app', 'registry.example.com/app', null, null],
    ['192.168.1.10:5000/app', '192.168.1.10:5000/app', null, null],
    ['[::1]:5000/app:v1', '[::1]:5000/app', 'v1', null],
    ['foo:5000', 'docker.io/library/foo', '5000', null],
    ['a__b/c--d/e.f_g', 'docker.io/a__b/c--d/e.f_g', null, null],
    ['kserve/sklearnserver:v0.14.0', 'docker.io/kserve/sklearnserver', 'v0.14.0', null],
  ];

  it.each(valid)('%s → %s (tag %s, digest %s)', (reference, repository, tag, digest) => {
    const parsed = parseImageReference(reference);
    expect(parsed.repository).toBe(repository);
    expect(parsed.tag).toBe(tag);
    expect(parsed.digest === null ? null : `${parsed.digest.algorithm}:${parsed.digest.hex}`).toBe(digest);
  });

  const invalid: [reference: string, why: RegExp][] = [
    ['', /empty/],
    ['Nginx', /lowercase/],
    ['docker.io/Library/nginx', /lowercase/],
    ['registry.example.com/Fraud/serve:latest', /lowercase/],
    ['nginx:', /tag/],
    ['nginx:-bad', /tag/],
    [`nginx:${'t'.repeat(129)}`, /tag/],
    ['nginx@sha256:abc', /64 hex/],
    [`nginx@sha256:${SHA.toUpperCase()}`, /lowercase hex/],
    [`nginx@md5:${SHA}`, /not one Countersign compares/],
    [`nginx@${SHA}`, /no algorithm/],
    [`nginx@sha256:${SHA}@sha256:${SHA}`, /more than one/],
    ['nginx latest', /whitespace/],
    ['registry.example.com//serve', /empty component/],
    ['registry.example.com/serve/', /empty component/],
    ['-registry.example.com/serve', /host name/],
    ['registry.example.com:port/serve', /port/],
    ['ngi--_nx', /not a valid repository path component/],
    ['.nginx', /not a valid repository path component/],
    [`${'a'.repeat(256)}`, /longer than 255/],
    ['s3://bucket/model.onnx', /./],
  ];

  it.each(invalid)('refuses %j', (reference, why) => {
    expect(() => parseImageReference(reference)).toThrow(ImageReferenceError);
    expect(() => parseImageReference(reference)).toThrow(why);
  });
});

describe('normaliseRepositoryName', () => {
  it('makes every spelling of one Docker Hub repository equal', () => {
    const spellings = ['nginx', 'library/nginx', 'docker.io/library/nginx', 'index.docker.io/library/nginx', 'docker.io/nginx'];
    expect(new Set(spellings.map(normaliseRepositoryName))).toEqual(new Set(['docker.io/library/nginx']));
  });

  it('keeps registries with ports and nested paths apart', () => {
    expect(normaliseRepositoryName('localhost:5000/x')).toBe('localhost:5000/x');
    expect(normaliseRepositoryName('localhost:5001/x')).not.toBe(normaliseRepositoryName('localhost:5000/x'));
    expect(normaliseRepositoryName('registry.example.com/fraud/serve')).not.toBe(normaliseRepositoryName('fraud/serve'));
  });

  it('is null for names that carry a tag or digest, and for what is not an image name', () => {
    expect(normaliseRepositoryName('nginx:latest')).toBeNull();
    expect(normaliseRepositoryName(`nginx@sha256:${SHA}`)).toBeNull();
    expect(normaliseRepositoryName('git+https://git.example.com/fraud.git')).toBeNull();
  });
});
