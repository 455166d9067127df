import fs from 'node:fs';
import path from 'node:path';
import { sha256Hex } from '../../../shared/crypto/hash';
import { parseStrictJson, type JsonObject } from '../../../shared/json/strict-json';
import type { SqliteDatabase } from '../store/database';
import type { AuditLog } from './audit-log';

/** The audited actions that write a file, and what the log says when the file never appeared. */
const ABANDONED_ACTION = { 'approval.made': 'approval.abandoned' } as const;
export type FileWritingAction = keyof typeof ABANDONED_ACTION;

/** A file about to be written under an audited action. */
export interface FileWriteIntent {
  /** The entry appended once the file exists; its detail gains `file`, the path written. */
  entry: { actor: string | null; action: FileWritingAction; manifestDigest: string | null; detail: JsonObject };
  /** The folder and first-choice name; a taken name becomes `<stem>-2.dsse.json`, `-3`… (see approval-service writeApproval). */
  directory: string;
  fileName: string;
  /** The bytes to be written: how the file is recognised after a crash. */
  bytes: Uint8Array;
  /** Keep the file's bytes in the profile too (an exported approval), under this manifest and reviewer. */
  profileCopy: { manifestDigest: string; reviewer: string } | null;
}

/** Keeps a copy of a written file in the profile; called inside the completing transaction. */
export type KeepProfileCopy = (copy: { manifestDigest: string; reviewer: string; fileName: string; bytes: Uint8Array }) => void;

interface PendingRow {
  id: number;
  begun_at: string;
  actor: string | null;
  action: FileWritingAction;
  manifest_digest: string | null;
  detail: string;
  directory: string;
  file_name: string;
  file_sha256: string;
  profile_copy: string | null;
}

const MAX_NAME_ATTEMPTS = 100;

/**
 * A file written under an audited action is recorded in three steps, so that a crash at any
 * point leaves the action either audited or explained:
 *
 *  1. begin(): the intent (entry, where the file goes, the hash of its bytes) is committed;
 *  2. the caller writes the file;
 *  3. complete(): the audit entry (and the profile copy) is appended and the intent removed,
 *     in one transaction.
 *
 * reconcile(), run when the store opens, settles what a crash left between 1 and 3: an intent
 * whose file exists (found by its bytes' hash) is completed with its entry, marked
 * `recovered: true`; one whose file does not exist is recorded as abandoned (e.g.
 * approval.abandoned: signed, but the file never written).
 */
export class AuditedFileWrites {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly audit: AuditLog,
    private readonly keepProfileCopy: KeepProfileCopy,
    private readonly now: () => Date = () => new Date(),
  ) {}

  begin(intent: FileWriteIntent): number {
    const run = () =>
      this.db
        .prepare(
          `INSERT INTO pending_file_actions (begun_at, actor, action, manifest_digest, detail, directory, file_name, file_sha256, profile_copy)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          this.now().toISOString(),
          intent.entry.actor,
          intent.entry.action,
          intent.entry.manifestDigest,
          JSON.stringify(intent.entry.detail),
          path.resolve(intent.directory),
          intent.fileName,
          sha256Hex(intent.bytes),
          intent.profileCopy === null ? null : JSON.stringify(intent.profileCopy),
        );
    return Number(this.audit.atomically('the record of the file about to be written', run).lastInsertRowid);
  }

  /** The file is written at `writtenPath`: appends its entry (and keeps the profile copy) and clears the intent, atomically. */
  complete(id: number, writtenPath: string, bytes: Uint8Array): void {
    this.audit.atomically('the audit entry', () => {
      const row = this.pending(id);
      if (row === undefined) throw new Error(`no file write ${id} is pending`);
      this.finish(row, writtenPath, bytes, {});
    });
  }

  /** The write failed with an error: records the action as abandoned, with the reason. */
  abandon(id: number, reason: string): void {
    this.audit.atomically('the audit entry', () => {
      const row = this.pending(id);
      if (row !== undefined) this.giveUp(row, reason);
    });
  }

  /**
   * Settles every intent a crash left; returns how many were completed and how many abandoned,
   * and why any could not be settled (left pending, to be tried again at the next opening).
   */
  reconcile(): { completed: number; abandoned: number; unsettled: string[] } {
    const outcome = { completed: 0, abandoned: 0, unsettled: [] as string[] };
    const ids = (this.db.prepare('SELECT id FROM pending_file_actions ORDER BY id').all() as { id: number }[]).map((row) => row.id);
    for (const id of ids) {
      try {
        this.audit.atomically('the audit entry of a file written before a crash', () => {
          // Another process opening the profile may have settled it meanwhile.
          const row = this.pending(id);
          if (row === undefined) return;
          const found = findWrittenFile(row);
          if (found === null) {
            this.giveUp(row, 'the process stopped before the file was written: no file with these bytes exists where it was to be written');
            outcome.abandoned++;
          } else {
            this.finish(row, found.path, found.bytes, { recovered: true });
            outcome.completed++;
          }
        });
      } catch (error) {
        outcome.unsettled.push(`A file write interrupted by a crash (record ${id}) could not be settled in the audit log: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return outcome;
  }

  private pending(id: number): PendingRow | undefined {
    return this.db.prepare('SELECT * FROM pending_file_actions WHERE id = ?').get(id) as PendingRow | undefined;
  }

  private finish(row: PendingRow, writtenPath: string, bytes: Uint8Array, extra: JsonObject): void {
    if (row.profile_copy !== null) {
      const copy = storedObject(row.profile_copy);
      const { manifestDigest, reviewer } = copy;
      if (typeof manifestDigest !== 'string' || typeof reviewer !== 'string') throw new Error(`pending file write ${row.id} has an unusable profile copy record`);
      this.keepProfileCopy({ manifestDigest, reviewer, fileName: path.basename(writtenPath), bytes });
    }
    const detail = { ...storedObject(row.detail), file: writtenPath, ...extra };
    this.audit.append({ actor: row.actor, action: row.action, manifestDigest: row.manifest_digest, detail });
    this.db.prepare('DELETE FROM pending_file_actions WHERE id = ?').run(row.id);
  }

  private giveUp(row: PendingRow, reason: string): void {
    const detail = { ...storedObject(row.detail), file: path.join(row.directory, row.file_name), begunAt: row.begun_at, reason };
    this.audit.append({ actor: row.actor, action: ABANDONED_ACTION[row.action], manifestDigest: row.manifest_digest, detail });
    this.db.prepare('DELETE FROM pending_file_actions WHERE id = ?').run(row.id);
  }
}

/** The file the intent was written to, recognised by the hash of its bytes, under its first-choice name or a numbered one. */
function findWrittenFile(row: PendingRow): { path: string; bytes: Uint8Array } | null {
  const stem = row.file_name.replace(/\.dsse\.json$/, '');
  for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt++) {
    const candidate = path.join(row.directory, attempt === 1 ? row.file_name : `${stem}-${attempt}.dsse.json`);
    let bytes: Uint8Array;
    try {
      bytes = fs.readFileSync(candidate);
    } catch {
      continue;
    }
    if (sha256Hex(bytes) === row.file_sha256) return { path: candidate, bytes };
  }
  return null;
}

/** A JSON object this module stored; a row edited into something else is refused rather than guessed at. */
function storedObject(text: string): JsonObject {
  const value = parseStrictJson(text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('a pending file write record is not a JSON object: the profile database was edited');
  return value;
}
