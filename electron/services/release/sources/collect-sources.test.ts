import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collectSources } from './collect-sources';

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-collect-sources-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('collectSources', () => {
  it('reads each source a flag names, in flag order', async () => {
    const repo = path.join(work, 'repo');
    fs.mkdirSync(repo);
    const env = { ...process.env, GIT_AUTHOR_NAME: 'CI', GIT_AUTHOR_EMAIL: 'ci@example.com', GIT_COMMITTER_NAME: 'CI', GIT_COMMITTER_EMAIL: 'ci@example.com' };
    for (const args of [['init', '-q'], ['commit', '-q', '--allow-empty', '-m', 'start'], ['remote', 'add', 'origin', 'https://git.example.com/m.git']]) execFileSync('git', ['-C', repo, ...args], { env });
    fs.writeFileSync(path.join(repo, 'dvc.lock'), "schema: '2.0'\nstages:\n  train:\n    cmd: python train.py\n    outs:\n    - path: model.onnx\n      md5: d41d8cd98f00b204e9800998ecf8427e\n");
    fs.writeFileSync(path.join(repo, 'model.onnx'), 'onnx');

    const contributions = await collectSources({ git: repo, allowDirty: true, dvc: repo, hardware: 'auto' });
    expect(contributions.map((contribution) => Object.keys(contribution.environment))).toEqual([['git'], ['dvc'], ['hardware']]);
    // The untracked dvc.lock and model make the tree dirty, which --allow-dirty records.
    expect(contributions[0]!.environment).toMatchObject({ git: { dirty: true } });
    expect(contributions[1]!.files.map((file) => file.name)).toEqual(['model.onnx']);
    expect(await collectSources({})).toEqual([]);
  });

  it('refuses --allow-dirty without --git', async () => {
    await expect(collectSources({ allowDirty: true })).rejects.toThrow(/--allow-dirty applies to --git/);
  });
});
