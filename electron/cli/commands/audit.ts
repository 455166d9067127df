import { parseArgs } from 'node:util';
import { openStore } from '../../services/store/store';
import { defaultDataDir } from '../data-dir';
import { ExitCode, UsageError } from '../exit-codes';
import { jsonText } from '../../../shared/text/neutralise';
import { writeOut } from '../output';

const MAX_LIST_LIMIT = 1000;

export const auditUsage = `countersign audit verify|list [--limit <n>] [--before <id>] [--json] [--data-dir <dir>]

  countersign audit verify   checks the hash chain of the profile's audit trail; names the first
                             entry that was edited, deleted or reordered
  countersign audit list     the newest entries first (--limit, default 100; --before <id> pages back)
  Exit: 0 intact (verify) or listed, 1 the chain is broken, 2 usage error.`;

export async function auditCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { limit: { type: 'string' }, before: { type: 'string' }, json: { type: 'boolean' }, 'data-dir': { type: 'string' } },
  });
  const [action, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`audit ${action} takes no operand.\n\n${auditUsage}`);
  if (action !== 'verify' && action !== 'list') throw new UsageError(`${action === undefined ? 'audit needs an action' : `unknown audit action "${action}"`}.\n\n${auditUsage}`);
  const limit = positiveInteger(values.limit, '--limit');
  if (limit !== undefined && limit > MAX_LIST_LIMIT) throw new UsageError(`--limit is at most ${MAX_LIST_LIMIT}, got ${limit}.`);
  const beforeId = positiveInteger(values.before, '--before');

  const store = openStore(values['data-dir'] ?? defaultDataDir());
  try {
    if (action === 'verify') {
      const result = store.audit.verify();
      const human = result.ok
        ? `Audit trail intact: ${result.entries} entries${result.head ? `, head ${result.head}` : ''}.`
        : `Audit trail BROKEN at entry #${result.firstBrokenId}: ${result.reason} (${result.entries} entries).`;
      writeOut((values.json ? jsonText(result) : human) + '\n');
      return result.ok ? ExitCode.ok : ExitCode.failed;
    }
    const entries = store.audit.list({ ...(limit !== undefined ? { limit } : {}), ...(beforeId !== undefined ? { beforeId } : {}) });
    const human =
      entries.length === 0
        ? 'The audit trail is empty.'
        : entries.map((entry) => `#${entry.id}  ${entry.at}  ${entry.action.padEnd(17)} ${entry.actor ?? '-'}  ${entry.manifestDigest ?? '-'}  ${JSON.stringify(entry.detail)}`).join('\n');
    writeOut((values.json ? jsonText(entries) : human) + '\n');
    return ExitCode.ok;
  } finally {
    store.close();
  }
}

function positiveInteger(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`${flag} must be a whole number of at least 1, got "${text}".`);
  return value;
}
