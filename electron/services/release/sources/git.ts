import { execFile } from 'node:child_process';
import { emptyContribution, type SourceContribution } from './contribution';
import { SourceError, sourceDirectory } from './source-files';

export interface GitSourceOptions {
  /** `--git <repository directory>`: a work tree (or any directory inside one). */
  repoDir: string;
  /** `--allow-dirty`: accept uncommitted changes, recorded as `environment.git.dirty: true`. */
  allowDirty: boolean;
  /** The git executable; `git` on PATH by default. */
  gitBinary?: string;
}

const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const MAX_GIT_OUTPUT = 64 * 1024 * 1024;

/**
 * The commit of HEAD as a `code` subject named `git+<remote URL>` (the remote `origin`, or the
 * only remote), with any user name, password, token, query or fragment removed from the URL. A
 * work tree with uncommitted or untracked changes is refused unless allowDirty; either way the
 * environment records `git: {commit, dirty}` so the reviewer sees it. The system `git` is run
 * with hooks and the fsmonitor disabled and without taking the index lock: reading a hostile
 * repository runs none of its configured programs and changes nothing in it.
 */
export async function collectGit(options: GitSourceOptions): Promise<SourceContribution> {
  const directory = await sourceDirectory(options.repoDir, 'The git repository');
  const git = (...args: string[]) => runGit(options.gitBinary ?? 'git', directory, args);

  const inside = await git('rev-parse', '--is-inside-work-tree').catch(() => null);
  if (inside?.trim() !== 'true') throw new SourceError('invalid-input', `${options.repoDir} is not inside a git work tree.`);
  const head = await git('rev-parse', '--verify', '--quiet', 'HEAD^{commit}').catch(() => null);
  const commit = head?.trim() ?? '';
  if (!COMMIT.test(commit)) throw new SourceError('invalid-input', `${options.repoDir} has no commit at HEAD yet: commit the code first.`);

  const remote = await remoteUrl(git, options.repoDir);
  const status = await git('status', '--porcelain=v1', '-z', '--untracked-files=normal', '--ignore-submodules=none');
  const changed = status.split('\0').filter((entry) => entry !== '').length;
  if (changed > 0 && !options.allowDirty) {
    throw new SourceError(
      'refused',
      `The work tree of ${options.repoDir} has ${changed} uncommitted or untracked change${changed === 1 ? '' : 's'}: commit ${changed === 1 ? 'it' : 'them'}, or give --allow-dirty (recorded in the manifest and shown to the reviewers).`,
    );
  }

  const contribution = emptyContribution();
  contribution.pinned.push({ name: `git+${remote}`, kind: 'code', digest: { gitCommit: commit } });
  contribution.environment = { git: { commit, dirty: changed > 0, ...(changed > 0 ? { changedPaths: changed } : {}) } };
  return contribution;
}

async function remoteUrl(git: (...args: string[]) => Promise<string>, given: string): Promise<string> {
  const remotes = (await git('remote'))
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const remote = remotes.includes('origin') ? 'origin' : remotes.length === 1 ? remotes[0]! : null;
  if (remote === null) {
    throw new SourceError(
      'invalid-input',
      remotes.length === 0
        ? `${given} has no remote: the code subject is named by the remote URL (git remote add origin <url>).`
        : `${given} has several remotes (${remotes.join(', ')}) and none is "origin": the code subject is named by origin's URL.`,
    );
  }
  const url = (await git('remote', 'get-url', '--', remote)).trim();
  return publicRemoteUrl(url);
}

/**
 * The remote URL as it may be published: userinfo (user, password, token), query and fragment
 * removed; an scp-like `user@host:path` becomes `ssh://host/path`. Anything with control
 * characters or whitespace is refused rather than guessed at.
 */
export function publicRemoteUrl(url: string): string {
  if (url === '' || /[\s\u0000-\u001f\u007f]/.test(url)) throw new SourceError('invalid-input', `The git remote URL ${JSON.stringify(url)} is empty or holds whitespace or control characters.`);
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url);
  if (scheme) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new SourceError('invalid-input', `The git remote URL cannot be parsed as a URL (its text is not repeated here: it may hold a credential).`);
    }
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    // Some schemes (ssh) keep an empty "@" behind; a URL never needs it without a user.
    return parsed.href.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)@/, '$1');
  }
  const scpLike = /^(?:[^@/:]+@)?([^/:]+):(.+)$/.exec(url);
  if (scpLike) return `ssh://${scpLike[1]!}/${scpLike[2]!.replace(/^\/+/, '')}`;
  // A local path (or file remote) names itself.
  return url.startsWith('/') ? `file://${url}` : url;
}

function runGit(binary: string, directory: string, args: string[]): Promise<string> {
  const safety = ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null', '--no-optional-locks'];
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      [...safety, '-C', directory, ...args],
      {
        maxBuffer: MAX_GIT_OUTPUT,
        encoding: 'utf8',
        env: { ...withoutGitVariables(process.env), GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' },
      },
      (error, stdout, stderr) => {
        if (error) {
          const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
          reject(new SourceError('unreadable', missing ? `git is not installed (${binary} not found): --git needs the system git.` : `git ${args[0] ?? ''} failed: ${stderr.trim() || error.message}`));
        } else resolve(stdout);
      },
    );
  });
}

/** GIT_DIR, GIT_WORK_TREE, GIT_CONFIG_* and the like would point git at another repository or configuration. */
function withoutGitVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('GIT_')));
}
