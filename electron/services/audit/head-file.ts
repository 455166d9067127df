import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { auditHeadSchema, type AuditHead } from '../../../shared/api/commands/audit-commands';
import { parseStrictJson } from '../../../shared/json/strict-json';

/** The audit head kept in the data directory, beside the database it describes. */
export const HEAD_FILE_NAME = 'audit-head.json';

/** The head document as written: two-space JSON and a final newline. */
export function headDocumentText(head: AuditHead): string {
  return JSON.stringify(head, null, 2) + '\n';
}

/** Parses a head document; throws a RangeError naming the problem. */
export function parseHeadDocument(text: string, source: string): AuditHead {
  let value;
  try {
    value = parseStrictJson(text);
  } catch (error) {
    throw new RangeError(`${source} is not JSON: ${(error as Error).message}`);
  }
  const parsed = auditHeadSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new RangeError(`${source} is not an audit head: ${where}${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** The kept head, null when there is none yet, 'unreadable' when the file is there but is not a head. */
export function readHeadFile(file: string): AuditHead | null | 'unreadable' {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    return parseHeadDocument(text, file);
  } catch {
    return 'unreadable';
  }
}

/** Replaces the file whole (temporary file, fsync, rename), mode 0600. */
export function writeHeadFile(file: string, head: AuditHead): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = fs.openSync(temporary, 'wx', 0o600);
  try {
    fs.writeFileSync(fd, headDocumentText(head));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
