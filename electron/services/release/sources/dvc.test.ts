import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collectDvc } from './dvc';

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-dvc-source-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** A repository as `dvc repro` leaves it: dvc.yaml, dvc.lock (schema 2.0, as DVC 3 writes it) and the outputs. */
function dvcRepository(lockOuts: string): string {
  const dir = fs.mkdtempSync(path.join(work, 'repo-'));
  fs.mkdirSync(path.join(dir, 'data/features'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'models'));
  fs.writeFileSync(path.join(dir, 'data/raw.csv'), 'a,b\n1,2\n');
  fs.writeFileSync(path.join(dir, 'data/features/part-0.parquet'), 'PAR1 zero');
  fs.writeFileSync(path.join(dir, 'data/features/part-1.parquet'), 'PAR1 one');
  fs.writeFileSync(path.join(dir, 'models/model.pkl'), 'pickled');
  fs.writeFileSync(path.join(dir, 'dvc.yaml'), 'stages:\n  featurize:\n    cmd: python featurize.py\n  train:\n    cmd: python train.py\n');
  fs.writeFileSync(
    path.join(dir, 'dvc.lock'),
    `schema: '2.0'
stages:
  featurize:
    cmd: python featurize.py
    deps:
    - path: data/raw.csv
      hash: md5
      md5: ${md5('a,b\n1,2\n')}
      size: 8
    outs:
    - path: data/features
      hash: md5
      md5: 0123456789abcdef0123456789abcdef.dir
      size: 17
      nfiles: 2
  train:
    cmd: python train.py
    deps:
    - path: data/features
      hash: md5
      md5: 0123456789abcdef0123456789abcdef.dir
    outs:
${lockOuts}`,
  );
  return dir;
}

const modelOut = `    - path: models/model.pkl
      hash: md5
      md5: ${md5('pickled')}
      size: 7
`;

describe('collectDvc', () => {
  it('ships dvc.lock as lineage and every existing output as a subject, a directory output file by file', async () => {
    const dir = dvcRepository(modelOut + '    - path: metrics/not-pulled.json\n      hash: md5\n      md5: d41d8cd98f00b204e9800998ecf8427e\n');
    const contribution = await collectDvc(dir);
    expect(contribution.lineage).toEqual([{ fileName: 'dvc.lock', bytes: new Uint8Array(fs.readFileSync(path.join(dir, 'dvc.lock'))) }]);
    expect(contribution.files.map(({ name, kind }) => ({ name, kind }))).toEqual([
      { name: 'data/features/part-0.parquet', kind: 'dataset' },
      { name: 'data/features/part-1.parquet', kind: 'dataset' },
      { name: 'models/model.pkl', kind: 'model' },
    ]);
    expect(contribution.files[2]!.path).toBe(path.join(fs.realpathSync(dir), 'models/model.pkl'));
    // The input data/raw.csv is a dependency, not an output: not shipped.
    expect(contribution.environment).toEqual({ dvc: { lockFile: 'dvc.lock', outs: 3, missingOuts: ['metrics/not-pulled.json'] } });
    // No digest is taken from DVC: the files are shipped to be hashed with SHA-256.
    expect(contribution.pinned).toEqual([]);
  });

  it('refuses an output that leaves the repository, an absolute one, and one behind a symbolic link', async () => {
    await expect(collectDvc(dvcRepository('    - path: ../outside.bin\n      md5: d41d8cd98f00b204e9800998ecf8427e\n'))).rejects.toThrow(/leaves the directory/);
    await expect(collectDvc(dvcRepository('    - path: /etc/passwd\n      md5: d41d8cd98f00b204e9800998ecf8427e\n'))).rejects.toThrow(/absolute path/);
    const linked = dvcRepository('    - path: models/link.pkl\n      md5: d41d8cd98f00b204e9800998ecf8427e\n');
    fs.symlinkSync('/etc/passwd', path.join(linked, 'models/link.pkl'));
    await expect(collectDvc(linked)).rejects.toMatchObject({ code: 'hostile-input', message: expect.stringMatching(/models\/link\.pkl is a symbolic link/) });
    const linkedInDirectory = dvcRepository(modelOut);
    fs.symlinkSync('/etc/hostname', path.join(linkedInDirectory, 'data/features/part-2.parquet'));
    await expect(collectDvc(linkedInDirectory)).rejects.toThrow(/part-2\.parquet is a symbolic link/);
  });

  it('refuses a missing dvc.lock, a lock file of another schema, and one past the cap without reading it whole', async () => {
    const none = fs.mkdtempSync(path.join(work, 'none-'));
    await expect(collectDvc(none)).rejects.toThrow(/has no dvc\.lock/);
    const old = dvcRepository(modelOut);
    fs.writeFileSync(path.join(old, 'dvc.lock'), 'train:\n  cmd: python train.py\n');
    await expect(collectDvc(old)).rejects.toMatchObject({ code: 'invalid-format' });
    const huge = dvcRepository(modelOut);
    fs.truncateSync(path.join(huge, 'dvc.lock'), 65 * 1024 * 1024);
    await expect(collectDvc(huge)).rejects.toThrow(/more than the \d+-byte cap/);
  });

  it('refuses a YAML alias bomb in dvc.lock', async () => {
    const dir = dvcRepository(modelOut);
    const bomb = ["schema: '2.0'", 'a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let level = 0; level < 20; level++) bomb.push(`l${level}: &l${level} [${Array(9).fill(level === 0 ? '*a' : `*l${level - 1}`).join(',')}]`);
    fs.writeFileSync(path.join(dir, 'dvc.lock'), bomb.join('\n') + '\n');
    await expect(collectDvc(dir)).rejects.toMatchObject({ code: 'invalid-format' });
  });
});
