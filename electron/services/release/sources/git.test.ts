import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collectGit, publicRemoteUrl } from './git';
import { SourceError } from './source-files';

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-git-source-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 'CI', GIT_AUTHOR_EMAIL: 'ci@example.com', GIT_COMMITTER_NAME: 'CI', GIT_COMMITTER_EMAIL: 'ci@example.com' };
const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { env: gitEnv, encoding: 'utf8' }).trim();

function repository(remote: string | null): string {
  const dir = fs.mkdtempSync(path.join(work, 'repo-'));
  git(dir, 'init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(dir, 'train.py'), 'print("train")\n');
  git(dir, 'add', 'train.py');
  git(dir, 'commit', '-q', '-m', 'train');
  if (remote !== null) git(dir, 'remote', 'add', 'origin', remote);
  return dir;
}

describe('collectGit', () => {
  it('pins HEAD as a code subject named by the remote URL, with the credentials removed', async () => {
    const dir = repository('https://ci-bot:ghp_secrettoken123@git.example.com/fraud.git?private_token=abc#frag');
    const contribution = await collectGit({ repoDir: dir, allowDirty: false });
    const head = git(dir, 'rev-parse', 'HEAD');
    expect(contribution.pinned).toEqual([{ name: 'git+https://git.example.com/fraud.git', kind: 'code', digest: { gitCommit: head } }]);
    expect(contribution.environment).toEqual({ git: { commit: head, dirty: false } });
    expect(JSON.stringify(contribution)).not.toMatch(/secrettoken|ci-bot|private_token/);
  });

  it('refuses a dirty work tree, and records an allowed one as dirty', async () => {
    const dir = repository('https://git.example.com/fraud.git');
    fs.appendFileSync(path.join(dir, 'train.py'), '# local edit\n');
    fs.writeFileSync(path.join(dir, 'untracked.txt'), 'x');
    const refused = collectGit({ repoDir: dir, allowDirty: false });
    await expect(refused).rejects.toThrow(/2 uncommitted or untracked changes.*--allow-dirty/);
    await expect(refused).rejects.toMatchObject({ code: 'refused' });
    const allowed = await collectGit({ repoDir: dir, allowDirty: true });
    expect(allowed.environment).toEqual({ git: { commit: git(dir, 'rev-parse', 'HEAD'), dirty: true, changedPaths: 2 } });
  });

  it('refuses a repository without a commit, without a remote, and a directory outside any work tree', async () => {
    const empty = fs.mkdtempSync(path.join(work, 'empty-'));
    git(empty, 'init', '-q');
    await expect(collectGit({ repoDir: empty, allowDirty: false })).rejects.toThrow(/no commit at HEAD/);
    await expect(collectGit({ repoDir: repository(null), allowDirty: false })).rejects.toThrow(/has no remote/);
    const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-not-git-'));
    try {
      await expect(collectGit({ repoDir: plain, allowDirty: false })).rejects.toThrow(/not inside a git work tree/);
    } finally {
      fs.rmSync(plain, { recursive: true });
    }
    await expect(collectGit({ repoDir: path.join(work, 'missing'), allowDirty: false })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('runs no program a hostile repository configures (fsmonitor) while reading its status', async () => {
    const dir = repository('https://git.example.com/fraud.git');
    const marker = path.join(work, `fsmonitor-ran-${Date.now()}`);
    git(dir, 'config', 'core.fsmonitor', `touch ${marker}; false`);
    await collectGit({ repoDir: dir, allowDirty: false });
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('is not redirected to another repository by GIT_DIR in the environment', async () => {
    const dir = repository('https://git.example.com/one.git');
    const other = repository('https://git.example.com/other.git');
    const saved = process.env.GIT_DIR;
    process.env.GIT_DIR = path.join(other, '.git');
    try {
      const contribution = await collectGit({ repoDir: dir, allowDirty: false });
      expect(contribution.pinned[0]?.name).toBe('git+https://git.example.com/one.git');
    } finally {
      if (saved === undefined) delete process.env.GIT_DIR;
      else process.env.GIT_DIR = saved;
    }
  });
});

describe('publicRemoteUrl', () => {
  it('strips users, passwords, tokens, queries and fragments from every URL form', () => {
    expect(publicRemoteUrl('https://oauth2:glpat-XYZ@gitlab.example.com/group/model.git')).toBe('https://gitlab.example.com/group/model.git');
    expect(publicRemoteUrl('ssh://git@github.com:22/org/repo.git')).toBe('ssh://github.com:22/org/repo.git');
    expect(publicRemoteUrl('git@github.com:org/repo.git')).toBe('ssh://github.com/org/repo.git');
    expect(publicRemoteUrl('https://x-access-token:tok@github.com/org/repo')).toBe('https://github.com/org/repo');
    expect(publicRemoteUrl('/srv/git/repo.git')).toBe('file:///srv/git/repo.git');
  });

  it('refuses control characters and unparseable URLs without echoing a credential', () => {
    expect(() => publicRemoteUrl('https://a.example/x\ny')).toThrow(SourceError);
    let message = '';
    try {
      publicRemoteUrl('https://user:s3cret@[bad-host/repo');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/cannot be parsed/);
    expect(message).not.toContain('s3cret');
  });
});
