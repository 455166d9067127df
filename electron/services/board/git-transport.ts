import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BoardError } from './board-error';

/**
 * The board's transport: the system `git`, driven without a work tree. The remote's files are read
 * from git's objects (`ls-tree`, `cat-file --batch`), never checked out, so a hostile tree cannot
 * place a link or a file anywhere; commits are built in a private index and pushed. Git's own
 * signatures and history are never relied on: the board verifier judges the files alone.
 */

const BRANCH = 'main';
const REMOTE_REF = `refs/remotes/origin/${BRANCH}`;
const GIT_TIMEOUT_MS = 120_000;
/** Larger blobs are not read: no board object comes near this (a manifest is capped at 64 MiB). */
export const MAX_BOARD_BLOB_BYTES = 64 * 1024 * 1024;
export const MAX_BOARD_FILES = 1_000_000;

export interface RemoteTree {
  /** The remote branch's commit, or null when the remote has no board yet (an empty repository). */
  commit: string | null;
  files: Map<string, Uint8Array>;
  /** Entries that are not regular files (links, submodules) or too large: ignored, with why. */
  skipped: { path: string; reason: string }[];
  /** How many files were read from git's objects; the others were known by their object ID. */
  readFromGit: number;
}

export class GitTransport {
  /** git's own last words when the last fetch or push could not reach the remote or was cut off; null after a success. */
  lastFailure: string | null = null;

  constructor(
    /** The local bare repository, private to this data directory. */
    private readonly gitDir: string,
  ) {}

  private env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      ...process.env,
      GIT_DIR: this.gitDir,
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Countersign',
      GIT_AUTHOR_EMAIL: 'board@countersign.invalid',
      GIT_COMMITTER_NAME: 'Countersign',
      GIT_COMMITTER_EMAIL: 'board@countersign.invalid',
      LC_ALL: 'C',
      // Only transports that move data; never `ext::`, which runs a command named by the remote URL.
      GIT_ALLOW_PROTOCOL: 'file:git:http:https:ssh',
      ...extra,
    };
  }

  run(args: readonly string[], options: { input?: Uint8Array; env?: Record<string, string> } = {}): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const child = execFile('git', [...args], { env: this.env(options.env), encoding: 'buffer', maxBuffer: 512 * 1024 * 1024, timeout: GIT_TIMEOUT_MS }, (error, stdout, stderr) => {
        if (error) {
          reject(new GitCommandError(args[0] ?? 'git', stderr.toString('utf8').trim() || error.message));
        } else {
          resolve(stdout);
        }
      });
      if (options.input !== undefined) child.stdin?.end(options.input);
    });
  }

  async init(remote: string): Promise<void> {
    await this.run(['init', '--bare', '--quiet', this.gitDir]);
    await this.run(['remote', 'add', 'origin', remote]);
  }

  /** Fetches the remote branch; false when the remote cannot be reached (offline). */
  async fetch(): Promise<boolean> {
    try {
      await this.run(['fetch', '--quiet', '--no-tags', '--force', 'origin', `+refs/heads/${BRANCH}:${REMOTE_REF}`]);
      this.lastFailure = null;
      return true;
    } catch (error) {
      if (error instanceof GitCommandError && /couldn't find remote ref/i.test(error.detail)) {
        // An empty remote: reachable, no board yet.
        await this.run(['update-ref', '-d', REMOTE_REF]).catch(() => undefined);
        this.lastFailure = null;
        return true;
      }
      this.lastFailure = lastWordsOf(error);
      return false;
    }
  }

  async remoteCommit(): Promise<string | null> {
    try {
      return (await this.run(['rev-parse', '--verify', '--quiet', `${REMOTE_REF}^{commit}`])).toString('utf8').trim() || null;
    } catch {
      return null;
    }
  }

  /**
   * Every regular file of the fetched branch. A file whose git object ID is that of the bytes
   * `known` holds for its path is taken from `known` (the same ID is the same bytes: git computed
   * it from the content it received); only the others are read from git's objects. So a sync reads
   * what changed, whatever the remote did to its history.
   */
  async readTree(known: ReadonlyMap<string, Uint8Array> = new Map()): Promise<RemoteTree> {
    const commit = await this.remoteCommit();
    const tree: RemoteTree = { commit, files: new Map(), skipped: [], readFromGit: 0 };
    if (commit === null) return tree;
    const listing = (await this.run(['ls-tree', '-r', '-z', '--long', '--full-tree', commit])).toString('utf8');
    const blobs: { path: string; object: string }[] = [];
    for (const entry of listing.split('\0')) {
      if (entry === '') continue;
      const match = /^(\d{6}) (\w+) ([0-9a-f]{40,64}) +(-|\d+)\t(.*)$/s.exec(entry);
      if (match === null) continue;
      const [, mode, type, object, size, path] = match as unknown as [string, string, string, string, string, string];
      if (type !== 'blob' || (mode !== '100644' && mode !== '100755')) tree.skipped.push({ path, reason: mode === '120000' ? 'a symbolic link' : `not a regular file (${type} ${mode})` });
      else if (Number(size) > MAX_BOARD_BLOB_BYTES) tree.skipped.push({ path, reason: `larger than ${MAX_BOARD_BLOB_BYTES} bytes` });
      else blobs.push({ path, object });
      if (blobs.length > MAX_BOARD_FILES) throw new BoardError('hostile-input', `The remote holds more than ${MAX_BOARD_FILES} files; it is not read.`);
    }
    const reused = blobs.map((blob) => {
      const bytes = known.get(blob.path);
      // The ID's length says the repository's hash: 40 hex digits SHA-1, 64 SHA-256.
      return bytes !== undefined && blobIdOf(bytes, blob.object.length === 64 ? 'sha256' : 'sha1') === blob.object ? bytes : null;
    });
    const unread = blobs.filter((_, index) => reused[index] === null);
    const contents = await this.catBlobs(unread.map((blob) => blob.object));
    let next = 0;
    // In the listing's order, as before: what the verifier reports does not depend on what was cached.
    blobs.forEach((blob, index) => tree.files.set(blob.path, reused[index] ?? contents[next++]!));
    tree.readFromGit = unread.length;
    return tree;
  }


  /** `git cat-file --batch`: many blobs in one process. */
  private catBlobs(objects: readonly string[]): Promise<Uint8Array[]> {
    if (objects.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      const child = spawn('git', ['cat-file', '--batch'], { env: this.env(), stdio: ['pipe', 'pipe', 'pipe'] });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.on('error', reject);
      child.on('close', (code) => {
        if (code !== 0) return reject(new GitCommandError('cat-file', `exit ${code}`));
        const all = Buffer.concat(chunks);
        const out: Uint8Array[] = [];
        let at = 0;
        for (let i = 0; i < objects.length; i++) {
          const headerEnd = all.indexOf(0x0a, at);
          const header = all.subarray(at, headerEnd).toString('utf8').split(' ');
          const size = Number(header[2]);
          if (headerEnd < 0 || header[1] !== 'blob' || !Number.isSafeInteger(size)) return reject(new GitCommandError('cat-file', `unexpected answer for ${objects[i]}`));
          out.push(new Uint8Array(all.subarray(headerEnd + 1, headerEnd + 1 + size)));
          at = headerEnd + 1 + size + 1;
        }
        resolve(out);
      });
      child.stdin.end(objects.join('\n') + '\n');
    });
  }

  /**
   * A commit on top of the fetched branch (or a first commit) that adds the given files, built in a
   * private index: nothing is checked out, nothing else changes.
   */
  async commitFiles(files: ReadonlyMap<string, Uint8Array>, message: string, indexFile: string): Promise<string> {
    const parent = await this.remoteCommit();
    const env = { GIT_INDEX_FILE: indexFile };
    if (parent !== null) await this.run(['read-tree', parent], { env });
    else await this.run(['read-tree', '--empty'], { env });
    const entries = [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const objects = await this.writeBlobs(entries.map(([, bytes]) => bytes), `${indexFile}.blobs`);
    const lines = entries.map(([path], index) => `100644 ${objects[index]!}\t${path}`);
    if (lines.length > 0) await this.run(['update-index', '--add', '-z', '--index-info'], { env, input: Buffer.from(lines.join('\0') + '\0', 'utf8') });
    const tree = (await this.run(['write-tree'], { env })).toString('utf8').trim();
    const args = ['commit-tree', tree, '-m', message, ...(parent === null ? [] : ['-p', parent])];
    return (await this.run(args)).toString('utf8').trim();
  }

  /** Writes blobs into the object store with one `git hash-object`, from files in a private folder removed after. */
  private async writeBlobs(blobs: readonly Uint8Array[], folder: string): Promise<string[]> {
    if (blobs.length === 0) return [];
    await mkdir(folder, { recursive: true, mode: 0o700 });
    try {
      const files = await Promise.all(blobs.map(async (bytes, index) => {
        const file = join(folder, String(index));
        await writeFile(file, bytes, { mode: 0o600 });
        return file;
      }));
      const out = (await this.run(['hash-object', '-w', '--no-filters', '--stdin-paths'], { input: Buffer.from(files.join('\n') + '\n', 'utf8') })).toString('utf8');
      const objects = out.trim().split('\n');
      if (objects.length !== blobs.length) throw new GitCommandError('hash-object', `wrote ${objects.length} of ${blobs.length} objects`);
      return objects;
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }

  /** Pushes `commit` as the remote branch; 'rejected' when someone pushed first (fetch, verify and try again). */
  async push(commit: string): Promise<'pushed' | 'rejected' | 'unreachable'> {
    try {
      await this.run(['push', '--quiet', '--porcelain', 'origin', `${commit}:refs/heads/${BRANCH}`]);
      await this.run(['update-ref', REMOTE_REF, commit]);
      this.lastFailure = null;
      return 'pushed';
    } catch (error) {
      const detail = error instanceof GitCommandError ? error.detail : '';
      this.lastFailure = lastWordsOf(error);
      // A connection that died mid-push also ends with "failed to push some refs": that is not a lost race.
      if (/hung up|unexpected disconnect|early EOF|connection reset|broken pipe/i.test(detail)) return 'unreachable';
      if (/rejected|non-fast-forward|fetch first|failed to update ref|cannot lock ref|failed to push/i.test(detail)) return 'rejected';
      return 'unreachable';
    }
  }
}

export class GitCommandError extends BoardError {
  constructor(
    readonly command: string,
    readonly detail: string,
  ) {
    super('unreadable', `git ${command} failed: ${detail.split('\n').filter((line) => !line.startsWith('hint:')).slice(-3).join(' ')}`);
  }
}

/** The ID git gives a blob of these bytes: the hash of `blob <length>\0` and the bytes. */
export function blobIdOf(bytes: Uint8Array, format: 'sha1' | 'sha256'): string {
  return createHash(format).update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** The last line git wrote, without its "fatal:" or "error:" prefix: what to show a person. */
function lastWordsOf(error: unknown): string {
  const detail = error instanceof GitCommandError ? error.detail : error instanceof Error ? error.message : String(error);
  const lines = detail.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('hint:'));
  return (lines[lines.length - 1] ?? 'no answer').replace(/^(fatal|error):\s*/i, '');
}
