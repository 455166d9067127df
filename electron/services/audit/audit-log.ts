import { AUDIT_HEAD_FORMAT, type AuditHead } from '../../../shared/api/commands/audit-commands';
import { DomainError } from '../../../shared/errors/domain-error';
import { parseStrictJson, type JsonObject, type JsonValue } from '../../../shared/json/strict-json';
import { writeTransaction, type SqliteDatabase } from '../store/database';
import { canonicalJson, entryHash, GENESIS_HASH, type ChainedFields } from './audit-chain';
import { readHeadFile, writeHeadFile } from './head-file';

/**
 * What was done, by whom (key ID), to which release (manifest digest), when. Actions logged:
 * key.generated, key.imported, key.removed, approval.made, approval.imported,
 * approval.refused, approval.abandoned, board.imported, and audit.tamper-detected (written by the
 * log itself, see append()).
 */
export interface AuditEntry extends ChainedFields {
  hash: string;
}

export type AuditVerification = { ok: true; entries: number; head: string | null } | { ok: false; entries: number; firstBrokenId: number; reason: string };

interface AuditRow {
  id: number;
  at: string;
  actor: string | null;
  action: string;
  manifest_digest: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

interface HeadRow {
  entries: number;
  hash: string | null;
}

const DEFAULT_LIST_LIMIT = 100;
const MAX_LIST_LIMIT = 1000;
const ACTION_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;
const SHA256_HEX_PATTERN = /^[0-9a-f]{64}$/;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
export const TAMPER_ACTION = 'audit.tamper-detected';

/** The audit tables were dropped from the profile database: nothing can be recorded, so nothing is done. */
export class AuditLogMissingError extends DomainError {
  constructor() {
    super('conflict', 'The audit log table is missing from the profile database: it was dropped outside Countersign, which is evidence of tampering. The action was not done, because it could not be recorded. Run `countersign audit verify` for details.');
  }
}

/** The chain does not verify, so there is no head worth exporting. */
export class AuditChainBrokenError extends DomainError {
  constructor(readonly verification: Extract<AuditVerification, { ok: false }>) {
    super('refused', `The audit trail is broken at entry #${verification.firstBrokenId}: ${verification.reason}. A head is exported only from an intact log.`);
  }
}

export interface AuditLogOptions {
  now?: () => Date;
  /**
   * A copy of the head kept outside the database (audit-head.json in the data directory),
   * rewritten after each append. A log that no longer holds it was truncated, wiped, replaced
   * or rolled back without the file being rolled back too.
   */
  headFile?: string;
}

/**
 * The append-only, hash-chained audit log (the chain is defined in audit-chain.ts). There is
 * no method to change or remove an entry, and triggers refuse UPDATE and DELETE on the table.
 *
 * Removing the last entries leaves an intact but shorter chain, so the count and hash of the
 * newest entry are also kept in `audit_head`, updated in the same transaction as each append,
 * and, outside the database, in the head file. Once the log found itself changed (head record
 * gone, or the head file no longer held), the next append first records an
 * audit.tamper-detected entry saying so, and verify() reports the log broken from then on: the
 * evidence cannot be erased by carrying on.
 *
 * Someone who can write the data directory can still rewrite the log from any point on,
 * recomputing every later hash, the head and the head file, or restore an older copy of both:
 * one machine cannot see that. An exported head kept elsewhere can (verifyAgainst()).
 */
export class AuditLog {
  private readonly now: () => Date;
  private readonly headFile: string | null;

  constructor(
    private readonly db: SqliteDatabase,
    options: AuditLogOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.headFile = options.headFile ?? null;
  }

  append(entry: { actor: string | null; action: string; manifestDigest: string | null; detail?: JsonObject }): AuditEntry {
    checkEntry(entry);
    const detail = canonicalJson(entry.detail ?? {});
    const detailText = storableDetailText(detail);
    return this.atomically('the audit entry', (): AuditEntry => {
      if (!this.tablesExist()) throw new AuditLogMissingError();
      // Chain from the recorded head, not from the last row: if rows were removed, the gap stays visible.
      const head = this.head() ?? this.lastRowAsHead();
      const finding = this.tamperFinding();
      if (finding === null) return this.insert(head, { ...entry, detail }, detailText);
      const recorded = this.insert(head, { actor: null, action: TAMPER_ACTION, manifestDigest: null, detail: { finding } }, JSON.stringify({ finding }));
      return this.insert({ entries: recorded.id, hash: recorded.hash }, { ...entry, detail }, detailText);
    });
  }

  /**
   * Runs `fn`, which changes the profile and appends its audit entry, as one write transaction:
   * both are committed or neither is. `what` names the change in a busy error.
   */
  atomically<T>(what: string, fn: () => T): T {
    const result = writeTransaction(this.db, what, fn);
    // After the commit, so the file never runs ahead of the log; a crash before it leaves it behind, which is consistent.
    if (!this.db.inTransaction) this.refreshHeadFile();
    return result;
  }

  private refreshHeadFile(): void {
    if (this.headFile === null || !this.tablesExist()) return;
    const head = this.head();
    if (head !== null && head.entries > 0) writeHeadFile(this.headFile, this.headOf(head.entries, head.hash));
  }

  /** Writes the head file when it is missing and the log is intact (a profile from before the file, or a crash before its first write). */
  ensureHeadFile(): void {
    if (this.headFile === null || readHeadFile(this.headFile) !== null) return;
    const result = this.verify();
    if (result.ok && result.entries > 0 && result.head !== null) writeHeadFile(this.headFile, this.headOf(result.entries, result.head));
  }

  /** The head of an intact log, to keep somewhere else (format: AuditHead in shared/api/commands/audit-commands.ts). */
  exportHead(): AuditHead {
    const result = this.verify();
    if (!result.ok) throw new AuditChainBrokenError(result);
    return this.headOf(result.entries, result.head);
  }

  /**
   * verify(), and that the log still holds `exported` at its position: fewer entries means it was
   * truncated or an older copy restored; another hash there means it was rewritten or forked.
   */
  verifyAgainst(exported: AuditHead): AuditVerification {
    return this.db.transaction((): AuditVerification => {
      const result = this.verifySnapshot();
      if (!result.ok) return result;
      const problem = this.headProblem(exported, `the exported head (taken ${exported.exportedAt})`);
      return problem === null ? result : { ok: false, entries: result.entries, ...problem };
    })();
  }

  private insert(head: HeadRow, entry: { actor: string | null; action: string; manifestDigest: string | null; detail: JsonObject }, detailText: string): AuditEntry {
    const fields = {
      id: head.entries + 1,
      at: this.now().toISOString(),
      actor: entry.actor,
      action: entry.action,
      manifestDigest: entry.manifestDigest,
      detail: entry.detail,
      prevHash: head.hash ?? GENESIS_HASH,
    };
    const hash = entryHash(fields);
    this.db
      .prepare('INSERT INTO audit_log (id, at, actor, action, manifest_digest, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(fields.id, fields.at, fields.actor, fields.action, fields.manifestDigest, detailText, fields.prevHash, hash);
    this.db
      .prepare('INSERT INTO audit_head (id, entries, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET entries = excluded.entries, hash = excluded.hash')
      .run(fields.id, hash);
    return { ...fields, hash };
  }

  /** What an append must record before anything else: signs of tampering cheap enough to check on every append. */
  private tamperFinding(): string | null {
    if (this.head() === null) {
      const last = this.lastRowAsHead().entries;
      return `the head record (count and hash of the newest entry) was missing when entry ${last + 1} was about to be appended: it was deleted outside Countersign, and entries after ${last} may have been removed with it`;
    }
    const kept = this.headFile === null ? null : readHeadFile(this.headFile);
    if (kept === null || kept === 'unreadable') return kept === 'unreadable' ? 'the audit head file in the data directory was unreadable: it was edited outside Countersign' : null;
    return this.headProblem(kept, 'the audit head file in the data directory')?.reason ?? null;
  }

  /** Why the log does not hold `head` at its position, or null when it does. */
  private headProblem(head: AuditHead, source: string): { firstBrokenId: number; reason: string } | null {
    if (head.entries === 0) return null;
    const row = this.db.prepare('SELECT hash FROM audit_log WHERE id = ?').get(head.lastEntryId) as { hash: string } | undefined;
    if (row === undefined) {
      const lastId = this.lastRowAsHead().entries;
      return {
        firstBrokenId: lastId + 1,
        reason: `the log ends at entry ${lastId} but ${source} records ${head.entries} entries: the log was truncated or wiped, or an older copy of the database was restored`,
      };
    }
    if (row.hash !== head.headHash) {
      return { firstBrokenId: head.lastEntryId, reason: `entry ${head.lastEntryId} is not the entry ${source} records: the log was rewritten or replaced from that entry on` };
    }
    return null;
  }

  private headOf(entries: number, hash: string | null): AuditHead {
    return { format: AUDIT_HEAD_FORMAT, entries, lastEntryId: entries, headHash: hash, exportedAt: this.now().toISOString() };
  }

  /** Whether the audit tables are in the database (they are unless dropped outside Countersign). */
  isPresent(): boolean {
    return this.tablesExist();
  }

  private tablesExist(): boolean {
    const row = this.db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('audit_log', 'audit_head')").get() as { n: number };
    return row.n === 2;
  }

  /** Newest first; `beforeId` pages back from an entry already shown. */
  list(options: { limit?: number; beforeId?: number } = {}): AuditEntry[] {
    const limit = options.limit ?? DEFAULT_LIST_LIMIT;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) throw new RangeError(`the audit list limit must be 1 to ${MAX_LIST_LIMIT}, got ${limit}`);
    const rows =
      options.beforeId === undefined
        ? this.db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?').all(limit)
        : this.db.prepare('SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?').all(options.beforeId, limit);
    return (rows as AuditRow[]).map(toEntry);
  }

  /** Walks the log in id order and reports the first entry where the chain breaks. */
  verify(): AuditVerification {
    // One read transaction: a snapshot, consistent even while another process appends.
    return this.db.transaction(() => this.verifySnapshot())();
  }

  private verifySnapshot(): AuditVerification {
    if (!this.tablesExist()) {
      return { ok: false, entries: 0, firstBrokenId: 1, reason: 'the audit log table is missing from the profile database: it was dropped outside Countersign, with every entry in it' };
    }
    const entries = (this.db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number }).n;
    const broken = (firstBrokenId: number, reason: string): AuditVerification => ({ ok: false, entries, firstBrokenId, reason });
    let previous: { id: number; hash: string } | null = null;
    for (const row of this.db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as IterableIterator<AuditRow>) {
      const expectedId = (previous?.id ?? 0) + 1;
      if (row.id > expectedId) {
        const missing = row.id - 1 > expectedId ? `entries ${expectedId} to ${row.id - 1} are` : `entry ${expectedId} is`;
        return broken(row.id, `${missing} missing: the log jumps from entry ${expectedId - 1} to entry ${row.id}`);
      }
      if (row.id < expectedId) return broken(row.id, `entry ${row.id} is out of sequence: entry ids start at 1`);
      const expectedPrevHash = previous?.hash ?? GENESIS_HASH;
      if (row.prev_hash !== expectedPrevHash) {
        return broken(
          row.id,
          previous === null
            ? 'the first entry does not start the chain (its previous hash is not 64 zeros): entries before it were removed or it was replaced'
            : `its previous hash does not match the hash of entry ${previous.id}: entries were reordered, removed or replaced`,
        );
      }
      const detail = parseDetail(row.detail);
      if (detail === null) return broken(row.id, 'its detail is not a JSON object: the entry was edited');
      const fields = { id: row.id, at: row.at, actor: row.actor, action: row.action, manifestDigest: row.manifest_digest, detail, prevHash: row.prev_hash };
      if (entryHash(fields) !== row.hash) return broken(row.id, 'its content does not match its hash: the entry was edited');
      if (row.action === TAMPER_ACTION) {
        const finding = typeof detail['finding'] === 'string' ? detail['finding'] : 'no finding recorded';
        return broken(row.id, `this entry records that the log was found changed outside Countersign on ${row.at}: ${finding}`);
      }
      previous = { id: row.id, hash: row.hash };
    }

    const head = this.head();
    const lastId = previous?.id ?? 0;
    if (head === null) return broken(lastId + 1, 'the head record (count and hash of the newest entry) is missing: the log cannot be checked for removed entries');
    if (head.entries > lastId) {
      const removed = head.entries - lastId === 1 ? `entry ${head.entries} was` : `entries ${lastId + 1} to ${head.entries} were`;
      return broken(lastId + 1, `the log ends at entry ${lastId} but ${head.entries} entries were written: ${removed} removed`);
    }
    if (head.entries < lastId) return broken(head.entries + 1, `entries after ${head.entries} were not written by Countersign: the recorded head ends at entry ${head.entries}`);
    if ((previous?.hash ?? null) !== head.hash) return broken(Math.max(lastId, 1), `the newest entry's hash does not match the recorded head: entry ${lastId} was replaced`);
    if (this.headFile !== null) {
      const kept = readHeadFile(this.headFile);
      if (kept === 'unreadable') return broken(lastId + 1, 'the audit head file in the data directory is unreadable: it was edited outside Countersign');
      const problem = kept === null ? null : this.headProblem(kept, 'the audit head file in the data directory');
      if (problem !== null) return broken(problem.firstBrokenId, problem.reason);
    }
    return { ok: true, entries, head: previous?.hash ?? null };
  }

  private head(): HeadRow | null {
    return (this.db.prepare('SELECT entries, hash FROM audit_head WHERE id = 1').get() as HeadRow | undefined) ?? null;
  }

  private lastRowAsHead(): HeadRow {
    const last = this.db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string } | undefined;
    return last ? { entries: last.id, hash: last.hash } : { entries: 0, hash: null };
  }
}

function checkEntry(entry: { actor: string | null; action: string; manifestDigest: string | null }): void {
  if (!ACTION_PATTERN.test(entry.action)) throw new RangeError(`audit action '${entry.action}' is not of the form 'area.event' (lowercase), e.g. 'key.generated'`);
  if (entry.actor !== null && (entry.actor === '' || entry.actor.length > 200 || CONTROL_CHARACTERS.test(entry.actor))) {
    throw new RangeError('an audit actor is a key ID: non-empty, at most 200 characters, no control characters');
  }
  if (entry.manifestDigest !== null && !SHA256_HEX_PATTERN.test(entry.manifestDigest)) {
    throw new RangeError(`an audit manifest digest is the lowercase hex SHA-256 of the manifest payload (64 characters), got '${entry.manifestDigest}'`);
  }
}

/**
 * The detail as stored: canonical JSON text that reads back as the very same value, so that
 * verify() recomputes the hash from what is in the row. Values JSON cannot carry exactly
 * (NaN, unsafe integers, lone surrogates) are refused here rather than breaking the chain later.
 */
function storableDetailText(detail: JsonObject): string {
  const text = JSON.stringify(detail);
  const readBack = parseDetail(text);
  if (hasNonFiniteNumber(detail) || readBack === null || JSON.stringify(canonicalJson(readBack)) !== text) {
    throw new RangeError('the audit detail holds values JSON cannot store exactly (NaN, Infinity, unsafe integers or unpaired surrogates)');
  }
  return text;
}

/** JSON.stringify writes NaN and Infinity as null: the stored entry would not say what was logged. */
function hasNonFiniteNumber(value: JsonValue): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (value === null || typeof value !== 'object') return false;
  return Object.values(value).some(hasNonFiniteNumber);
}

function parseDetail(text: string): JsonObject | null {
  try {
    const value = parseStrictJson(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    manifestDigest: row.manifest_digest,
    // A hand-edited detail that no longer parses is shown as its raw text; verify() reports the entry.
    detail: parseDetail(row.detail) ?? { unreadableDetail: row.detail },
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
