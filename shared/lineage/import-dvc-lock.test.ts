import { describe, it, expect } from 'vitest';
import { importDvcLock } from './import-dvc-lock';
import { mergeLineage } from './merge-lineage';

const MAX = 1024 * 1024;
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Shaped like the dvc.lock of DVC's example-get-started project, as DVC 3 writes it. */
const DVC_LOCK = `schema: '2.0'
stages:
  prepare:
    cmd: python src/prepare.py data/data.xml
    deps:
    - path: data/data.xml
      hash: md5
      md5: 22a1a2931c8370d3aeedd7183606fd7f
      size: 14445097
    - path: src/prepare.py
      hash: md5
      md5: f09ea0c15980b43010257ccb9f0055e2
      size: 1576
    params:
      params.yaml:
        prepare.seed: 20170428
        prepare.split: 0.2
    outs:
    - path: data/prepared
      hash: md5
      md5: 153aad06d376b6595932470e459ef42a.dir
      size: 8437363
      nfiles: 2
  featurize:
    cmd: python src/featurization.py data/prepared data/features
    deps:
    - path: data/prepared
      hash: md5
      md5: 153aad06d376b6595932470e459ef42a.dir
      size: 8437363
      nfiles: 2
    - path: src/featurization.py
      hash: md5
      md5: e0265fc22f056a4b86d85c3056bc2894
      size: 2490
    params:
      params.yaml:
        featurize.max_features: 100
        featurize.ngrams: 1
    outs:
    - path: data/features
      hash: md5
      md5: f35d4cc2c552ac959ae602162b8543f3.dir
      size: 2232588
      nfiles: 2
  train:
    cmd: python src/train.py data/features model.pkl
    deps:
    - path: data/features
      hash: md5
      md5: f35d4cc2c552ac959ae602162b8543f3.dir
      size: 2232588
      nfiles: 2
    - path: src/train.py
      hash: md5
      md5: c3961d777cfbd7727f9fde4851896006
      size: 967
    params:
      params.yaml:
        train.min_split: 0.01
        train.n_est: 50
        train.seed: 20170428
    outs:
    - path: model.pkl
      hash: md5
      md5: 0b4e0ac5a9ec9bfa8bbd82ab1bbd3aa3
      size: 1763725
  evaluate:
    cmd: python src/evaluate.py model.pkl data/features
    deps:
    - path: data/features
      hash: md5
      md5: f35d4cc2c552ac959ae602162b8543f3.dir
      size: 2232588
      nfiles: 2
    - path: model.pkl
      hash: md5
      md5: 0b4e0ac5a9ec9bfa8bbd82ab1bbd3aa3
      size: 1763725
    - path: src/evaluate.py
      hash: md5
      md5: 44e714021a65edf881b1716e791d7f59
      size: 2346
    outs:
    - path: eval
      hash: md5
      md5: 4a1b3d4dbb1a1e8d3ca3b7b3ba5e1e1a.dir
      size: 1271849
      nfiles: 6
`;

describe('dvc.lock', () => {
  it('makes stages transforms and deps and outs datasets, with deps → stage → outs', () => {
    const imported = importDvcLock('dvc.lock', encode(DVC_LOCK), MAX);
    const { graph } = mergeLineage([imported]);
    const kinds = Object.fromEntries(graph.nodes.map((node) => [node.id, node.kind]));
    expect(kinds['stage:prepare']).toBe('transform');
    expect(kinds['path:data/prepared']).toBe('dataset');
    expect(graph.nodes).toHaveLength(4 + 9);
    const edges = graph.edges.map(({ from, to }) => `${from} > ${to}`);
    expect(edges).toContain('path:data/data.xml > stage:prepare');
    expect(edges).toContain('stage:prepare > path:data/prepared');
    expect(edges).toContain('path:data/prepared > stage:featurize');
    expect(edges).toContain('stage:train > path:model.pkl');
    expect(edges).toContain('path:model.pkl > stage:evaluate');
    expect(edges).toHaveLength(3 + 3 + 3 + 4);
    expect(imported.findings).toEqual([]);
  });

  it('takes the content hash as the version and names nodes by stage and path', () => {
    const { graph } = mergeLineage([importDvcLock('dvc.lock', encode(DVC_LOCK), MAX)]);
    const model = graph.nodes.find((node) => node.id === 'path:model.pkl')!;
    expect(model).toEqual({ id: 'path:model.pkl', kind: 'dataset', name: 'model.pkl', version: '0b4e0ac5a9ec9bfa8bbd82ab1bbd3aa3', subject: null });
    expect(graph.nodes.find((node) => node.id === 'stage:train')!.name).toBe('train');
  });

  it('links a path to the manifest subject of the same name', () => {
    const { graph } = mergeLineage([importDvcLock('dvc.lock', encode(DVC_LOCK), MAX)], { subjectNames: new Set(['model.pkl']) });
    expect(graph.nodes.find((node) => node.id === 'path:model.pkl')!.subject).toBe('model.pkl');
  });

  it('reads the older lock layout without the hash field, and list-form commands', () => {
    const lock = "schema: '2.0'\nstages:\n  a:\n    cmd:\n    - python one.py\n    - python two.py\n    deps:\n    - path: in.csv\n      md5: a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1\n    outs:\n    - path: out.csv\n      md5: b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2\n";
    const { graph } = mergeLineage([importDvcLock('dvc.lock', encode(lock), MAX)]);
    expect(graph.nodes.map((node) => `${node.id}@${node.version}`)).toEqual(['stage:a@null', 'path:in.csv@a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1', 'path:out.csv@b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2']);
  });

  it('refuses what a strict reader must: duplicate keys, custom tags, other schemas, several documents, alias bombs', () => {
    expect(() => importDvcLock('dvc.lock', encode("schema: '2.0'\nschema: '2.0'\n"), MAX)).toThrow(/dvc\.lock \$: not valid YAML: Map keys must be unique/);
    expect(() => importDvcLock('dvc.lock', encode("schema: '2.0'\nstages:\n  a:\n    cmd: !!python/object:os.system ls\n"), MAX)).toThrow(/not valid YAML: Unresolved tag/);
    expect(() => importDvcLock('dvc.lock', encode('schema: "1.0"\nstages: {}\n'), MAX)).toThrow('dvc.lock $.schema: expected "2.0"');
    expect(() => importDvcLock('dvc.lock', encode("schema: '2.0'\n---\nschema: '2.0'\n"), MAX)).toThrow(/multiple documents/);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, level) => `${String.fromCharCode(98 + level)}: &${String.fromCharCode(98 + level)} [${Array(10).fill(`*${String.fromCharCode(97 + level)}`).join(', ')}]`)].join('\n');
    expect(() => importDvcLock('dvc.lock', encode(`schema: '2.0'\n${bomb}\n`), MAX)).toThrow(/dvc\.lock \$: not usable YAML/);
  });

  it('names the stage and field of a bad entry', () => {
    expect(() => importDvcLock('dvc.lock', encode("schema: '2.0'\nstages:\n  train:\n    deps:\n    - path: x\n"), MAX)).toThrow('dvc.lock $.stages.train: missing required field "cmd"');
    expect(() => importDvcLock('dvc.lock', encode("schema: '2.0'\nstages:\n  train:\n    cmd: go\n    outs:\n    - md5: abc\n"), MAX)).toThrow('dvc.lock $.stages.train.outs[0]: missing required field "path"');
  });
});
