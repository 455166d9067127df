import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BundleLimits } from '../bundle/limits';
import type { JobControl } from '../jobs/job-registry';
import { ReviewSession, type SessionOpenOptions, type SessionServices } from './review-session';
import { SessionError } from './session-error';

/** A session nobody asked anything of for this long is closed (its temporary files removed). */
export const DEFAULT_SESSION_IDLE_MS = 30 * 60_000;

const FOLDER_PREFIX = 'countersign-sessions-';

export interface SessionRegistryOptions extends Omit<SessionServices, 'tempRoot'> {
  idleMs?: number;
  /** Where this host's folder of unpacked archives goes; the OS temporary directory by default. */
  tempParent?: string;
  /** Decides whether a process that left a folder behind is still running; tests replace it. */
  isRunning?: (pid: number) => boolean;
}

/**
 * The open review sessions of one host (the app window, the web host, one CLI run). Archives
 * are unpacked into this process's own folder, `countersign-sessions-<pid>`, which closing the
 * registry removes; a folder left by a process that died (a crash, a kill) is removed the next
 * time a registry starts.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, { session: ReviewSession; lastUsed: number }>();
  private readonly sweeper: NodeJS.Timeout;
  private readonly idleMs: number;

  private readonly tempRoot: string;

  /** Starts the registry: folders abandoned by dead processes are removed first, once, before any session opens. */
  constructor(private readonly options: SessionRegistryOptions) {
    const parent = options.tempParent ?? tmpdir();
    removeAbandonedFolders(parent, options.isRunning ?? isProcessRunning);
    this.tempRoot = join(parent, `${FOLDER_PREFIX}${process.pid}`);
    mkdirSync(this.tempRoot, { recursive: true, mode: 0o700 });
    this.idleMs = options.idleMs ?? DEFAULT_SESSION_IDLE_MS;
    this.sweeper = setInterval(() => void this.closeIdle(), Math.min(this.idleMs, 60_000));
    this.sweeper.unref();
  }

  /**
   * Opens `path`; `limits` raise or lower this opening's bundle caps (a ratio the person allowed);
   * `options` let a model directory or a signed file open as a foreign session.
   */
  async open(path: string, job: JobControl = {}, limits: Partial<BundleLimits> = {}, options: SessionOpenOptions = {}): Promise<ReviewSession> {
    const session = await ReviewSession.open(randomUUID(), path, { ...this.options, limits: { ...this.options.limits, ...limits }, tempRoot: this.tempRoot }, job, options);
    this.sessions.set(session.id, { session, lastUsed: Date.now() });
    return session;
  }

  /** The open session, or `not-found` in words a person can act on. */
  get(sessionId: string): ReviewSession {
    const held = this.sessions.get(sessionId);
    if (held === undefined) throw new SessionError('not-found', 'That bundle is no longer open here (it was closed, or left idle too long): open it again.');
    held.lastUsed = Date.now();
    return held.session;
  }

  /**
   * The open session, for a question only a bundle answers (approvals, board, deployment, report,
   * release): a foreign signature's session is refused at once with subcode not-a-bundle, before
   * any other precondition (a board policy, a deployment file) is checked.
   */
  getForBundleQuestion(sessionId: string): ReviewSession {
    const session = this.get(sessionId);
    session.assertNotForeign();
    return session;
  }

  async close(sessionId: string): Promise<boolean> {
    const held = this.sessions.get(sessionId);
    if (held === undefined) return false;
    this.sessions.delete(sessionId);
    await held.session.close();
    return true;
  }

  get openCount(): number {
    return this.sessions.size;
  }

  /** Closes every session and removes this host's folder; called when the host stops. */
  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.allSettled(all.map(({ session }) => session.close()));
    await rm(this.tempRoot, { recursive: true, force: true });
  }

  async closeIdle(now = Date.now()): Promise<void> {
    for (const [id, held] of this.sessions) if (now - held.lastUsed >= this.idleMs) await this.close(id);
  }
}

function removeAbandonedFolders(parent: string, isRunning: (pid: number) => boolean): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(FOLDER_PREFIX)) continue;
    const pid = Number(name.slice(FOLDER_PREFIX.length));
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || isRunning(pid)) continue;
    try {
      rmSync(join(parent, name), { recursive: true, force: true });
    } catch {
      // Another process may be removing it too; what is left is tried again next start.
    }
  }
}

function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
