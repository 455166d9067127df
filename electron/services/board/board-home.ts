import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { z } from 'zod';
import { classifyBoardPath } from '../../../shared/board-repo/board-paths';
import { VerificationCache } from '../../../shared/board-repo/verification-cache';
import { parseStrictJson } from '../../../shared/json/strict-json';
import { BoardError } from './board-error';

/**
 * The board's state on this machine, under `<data dir>/board/`: the private bare repository, the
 * settings (remote, pinned genesis, the member key publishing from here, the last sync), the copy
 * of every file accepted so far, and the queue of objects waiting to be pushed. Everything written
 * here is written whole (temporary file, then rename); folders are private to the person.
 */

const boardSettingsSchema = z
  .object({
    format: z.literal('countersign-board-home/v1'),
    remote: z.string(),
    /** sha256 hex of the pinned genesis policy. */
    genesis: z.string().regex(/^[0-9a-f]{64}$/),
    /** How the genesis was pinned: given (`--genesis`), from the imported policy, on first use, or by creating the board. */
    pinnedBy: z.enum(['genesis-flag', 'imported-policy', 'first-use', 'created']),
    /** The key this machine publishes and cosigns with; null to only read the board. */
    memberKeyId: z.string().nullable(),
    lastSync: z.object({ at: z.string(), outcome: z.enum(['synced', 'offline', 'problems']), commit: z.string().nullable() }).nullable(),
  })
  .strict();
export type BoardSettings = z.infer<typeof boardSettingsSchema>;

export class BoardHome {
  readonly root: string;
  readonly gitDir: string;
  private readonly settingsFile: string;
  private readonly acceptedDir: string;
  private readonly queueDir: string;
  private readonly verifiedFile: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'board');
    this.gitDir = join(this.root, 'repo.git');
    this.settingsFile = join(this.root, 'board.json');
    this.acceptedDir = join(this.root, 'accepted');
    this.queueDir = join(this.root, 'queue');
    this.verifiedFile = join(this.root, 'verified.json');
  }

  async exists(): Promise<boolean> {
    return (await readFile(this.settingsFile).catch(() => null)) !== null;
  }

  async create(settings: BoardSettings): Promise<void> {
    if (await this.exists()) throw new BoardError('conflict', `A board is already set up in ${this.root}; use another --data-dir for another board.`);
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    await this.saveSettings(settings);
  }

  /** Removes a half-made setup (a clone that failed its checks): nothing of it is kept. */
  async discard(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }

  async settings(): Promise<BoardSettings> {
    const bytes = await readFile(this.settingsFile).catch(() => null);
    if (bytes === null) throw new BoardError('not-found', 'No board is set up here: run `countersign board clone <remote>` (or `board init`) first.');
    const parsed = boardSettingsSchema.safeParse(parseStrictJson(new Uint8Array(bytes)));
    if (!parsed.success) throw new BoardError('invalid-format', `${this.settingsFile} is not a board setup this version reads.`);
    return parsed.data;
  }

  async saveSettings(settings: BoardSettings): Promise<void> {
    await writeWhole(this.settingsFile, new TextEncoder().encode(JSON.stringify(settings, null, 2) + '\n'));
  }

  accepted(): Promise<Map<string, Uint8Array>> {
    return readTree(this.acceptedDir);
  }

  /** Adds newly accepted files; files accepted before are never removed or replaced. `before`: the accepted copy, when the caller holds it already. */
  async addAccepted(files: ReadonlyMap<string, Uint8Array>, before?: ReadonlyMap<string, Uint8Array>): Promise<void> {
    const known = before ?? (await this.accepted());
    const added = [...files].filter(([path]) => !known.has(path));
    await inParallel(added, ([path, bytes]) => writeWhole(this.fileIn(this.acceptedDir, path), bytes));
  }

  /** What was verified before (signatures and log frontiers by content digest); empty when there is none or it cannot be read. */
  async verificationCache(): Promise<VerificationCache> {
    const bytes = await readFile(this.verifiedFile).catch(() => null);
    return VerificationCache.parse(bytes === null ? null : new Uint8Array(bytes));
  }

  async saveVerificationCache(cache: VerificationCache): Promise<void> {
    await writeWhole(this.verifiedFile, cache.serialize());
  }

  queue(): Promise<Map<string, Uint8Array>> {
    return readTree(this.queueDir);
  }

  async enqueue(path: string, bytes: Uint8Array): Promise<void> {
    await writeWhole(this.fileIn(this.queueDir, path), bytes);
  }

  async dequeue(paths: Iterable<string>): Promise<void> {
    for (const path of paths) await rm(this.fileIn(this.queueDir, path), { force: true });
  }

  /** Only paths of the board layout are ever stored: they are relative, `/`-separated and free of `..`. */
  private fileIn(dir: string, path: string): string {
    if (classifyBoardPath(path) === null) throw new BoardError('hostile-input', `${JSON.stringify(path)} is not a board repository path.`);
    return join(dir, ...path.split('/'));
  }
}

async function writeWhole(file: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, bytes, { mode: 0o600 });
  await rename(temporary, file);
}

async function readTree(dir: string): Promise<Map<string, Uint8Array>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const wanted: [path: string, absolute: string][] = [];
  for (const entry of entries) {
    if (!entry.isFile() || entry.name.endsWith('.tmp')) continue;
    const absolute = join(entry.parentPath, entry.name);
    const path = absolute.slice(dir.length + 1).split(sep).join('/');
    if (classifyBoardPath(path) !== null) wanted.push([path, absolute]);
  }
  const contents = new Map<string, Uint8Array>();
  await inParallel(wanted, async ([path, absolute]) => void contents.set(path, new Uint8Array(await readFile(absolute))));
  // In path order, whatever order the directory listing and the reads came in: the same board reads the same on every machine.
  wanted.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new Map(wanted.flatMap(([path]) => (contents.has(path) ? [[path, contents.get(path)!] as const] : [])));
}

/** Runs `task` over `items`, a bounded number at a time: thousands of small files read or written without thousands of open handles. */
async function inParallel<T>(items: readonly T[], task: (item: T) => Promise<void>, width = 32): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}
