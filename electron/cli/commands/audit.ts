import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { AuditHead } from '../../../shared/api/commands/audit-commands';
import { headDocumentText, parseHeadDocument } from '../../services/audit/head-file';
import { withDispatcher } from '../cli-dispatcher';
import { ExitCode, UsageError } from '../exit-codes';
import { jsonText } from '../../../shared/text/neutralise';
import { writeErr, writeOut } from '../output';

const MAX_LIST_LIMIT = 1000;
const MAX_HEAD_FILE_BYTES = 10_000;

export const auditUsage = `countersign audit verify|list|export-head [--against <head.json>] [--out <file>] [--limit <n>] [--before <id>] [--json] [--data-dir <dir>]

  countersign audit verify   checks the hash chain of the profile's audit trail; names the first
                             entry that was edited, deleted or reordered, and a log that was
                             truncated, wiped or replaced behind the data directory's head file
      --against <head.json>  also fails when the log no longer holds that exported head at its
                             position: truncated, rolled back past it, or rewritten since
  countersign audit export-head   prints (or writes to --out, never replacing a file) the head of an
                             intact log: {"format":"countersign-audit-head/1","entries","lastEntryId",
                             "headHash","exportedAt"}. Keep it somewhere else: it is what shows a
                             rollback of the whole profile, which this machine alone cannot see.
  countersign audit list     the newest entries first (--limit, default 100; --before <id> pages back)
  Exit: 0 intact (verify), exported or listed; 1 the chain is broken or does not hold the head
  (export-head: nothing exported); 2 usage error or an unreadable head file.`;

export async function auditCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      limit: { type: 'string' },
      before: { type: 'string' },
      against: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      'data-dir': { type: 'string' },
    },
  });
  const [action, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`audit ${action} takes no operand.\n\n${auditUsage}`);
  if (action !== 'verify' && action !== 'list' && action !== 'export-head') {
    throw new UsageError(`${action === undefined ? 'audit needs an action' : `unknown audit action "${action}"`}.\n\n${auditUsage}`);
  }
  if (values.against !== undefined && action !== 'verify') throw new UsageError(`--against goes with audit verify.\n\n${auditUsage}`);
  if (values.out !== undefined && action !== 'export-head') throw new UsageError(`--out goes with audit export-head.\n\n${auditUsage}`);
  const limit = positiveInteger(values.limit, '--limit');
  if (limit !== undefined && limit > MAX_LIST_LIMIT) throw new UsageError(`--limit is at most ${MAX_LIST_LIMIT}, got ${limit}.`);
  const beforeId = positiveInteger(values.before, '--before');
  const against = values.against === undefined ? undefined : readHead(values.against);

  return withDispatcher({ dataDir: values['data-dir'] }, async (call) => {
    if (action === 'verify') {
      const result = against === undefined ? await call('audit.verify', {}) : await call('audit.verifyAgainst', { head: against.text });
      const human = result.ok
        ? `Audit trail intact: ${entryCount(result.entries)}${result.head ? `, head ${result.head}` : ''}${against === undefined ? '' : `; it holds the exported head (entry ${against.head.lastEntryId})`}.`
        : `Audit trail BROKEN at entry #${result.firstBrokenId}: ${result.reason} (${entryCount(result.entries)}).`;
      writeOut((values.json ? jsonText(result) : human) + '\n');
      return result.ok ? ExitCode.ok : ExitCode.failed;
    }
    if (action === 'export-head') return exportHead(await call('audit.exportHead', {}), values.out);
    const entries = await call('audit.list', { ...(limit !== undefined ? { limit } : {}), ...(beforeId !== undefined ? { beforeId } : {}) });
    const human =
      entries.length === 0
        ? 'The audit trail is empty.'
        : entries.map((entry) => `#${entry.id}  ${entry.at}  ${entry.action.padEnd(17)} ${entry.actor ?? '-'}  ${entry.manifestDigest ?? '-'}  ${JSON.stringify(entry.detail)}`).join('\n');
    writeOut((values.json ? jsonText(entries) : human) + '\n');
    return ExitCode.ok;
  });
}

/** Prints the head of an intact log, or writes it to a new file. A broken log exports nothing: its error exits 1. */
function exportHead(head: AuditHead, out: string | undefined): number {
  const text = headDocumentText(head);
  if (out === undefined) {
    writeOut(text);
    return ExitCode.ok;
  }
  try {
    fs.writeFileSync(out, text, { flag: 'wx', mode: 0o644 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'EEXIST' ? `${out} already exists; the head was not written (choose another --out).` : `cannot write ${out}: ${(error as Error).message}`);
  }
  writeErr(`Wrote the audit head (entry ${head.lastEntryId}, ${head.headHash ?? 'empty log'}) to ${out}.\n`);
  return ExitCode.ok;
}

/** The exported head file: its text goes to the host as it is, after the same checks the host makes. */
function readHead(file: string): { head: AuditHead; text: string } {
  let text: string;
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_HEAD_FILE_BYTES) throw new UsageError(`${file} is ${size} bytes: an audit head file is at most ${MAX_HEAD_FILE_BYTES}.`);
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read the head file ${file}: ${(error as Error).message}`);
  }
  try {
    return { head: parseHeadDocument(text, file), text };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function positiveInteger(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`${flag} must be a whole number of at least 1, got "${text}".`);
  return value;
}

function entryCount(entries: number): string {
  return `${entries} ${entries === 1 ? 'entry' : 'entries'}`;
}
