import { ExitCode, exitCodeFor, UsageError } from './exit-codes';
import { installNativeHashes } from '../services/native-hashes';
import { verifyCommand, verifyUsage } from './commands/verify';
import { serveCommand, serveUsage } from './commands/serve';
import { diffCommand, diffUsage } from './commands/diff';
import { keysCommand, keysUsage } from './commands/keys';
import { approveCommand, approveUsage } from './commands/approve';
import { statusCommand, statusUsage } from './commands/status';
import { auditCommand, auditUsage } from './commands/audit';
import { lineageCommand, lineageUsage } from './commands/lineage';
import { trustCommand, trustUsage } from './commands/trust';
import { compareCommand, compareUsage } from './commands/compare';
import { boardCommand, boardUsage } from './commands/board';
import { releaseCommand, releaseUsage } from './commands/release';
import { reportCommand, reportUsage } from './commands/report';
import { DomainError } from '../../shared/errors/domain-error';
import { writeErr, writeOut } from './output';

const commands: Record<string, { run: (args: string[]) => Promise<number>; usage: string }> = {
  verify: { run: verifyCommand, usage: verifyUsage },
  serve: { run: serveCommand, usage: serveUsage },
  diff: { run: diffCommand, usage: diffUsage },
  keys: { run: keysCommand, usage: keysUsage },
  approve: { run: approveCommand, usage: approveUsage },
  status: { run: statusCommand, usage: statusUsage },
  audit: { run: auditCommand, usage: auditUsage },
  lineage: { run: lineageCommand, usage: lineageUsage },
  trust: { run: trustCommand, usage: trustUsage },
  compare: { run: compareCommand, usage: compareUsage },
  board: { run: boardCommand, usage: boardUsage },
  release: { run: releaseCommand, usage: releaseUsage },
  report: { run: reportCommand, usage: reportUsage },
};

const usage = `Usage: countersign <command> [options]

Commands:
${Object.values(commands)
  .map((command) => '  ' + command.usage.split('\n')[0])
  .join('\n')}

Every command takes --data-dir <dir> (or COUNTERSIGN_DATA_DIR); the default is the desktop app's data directory.
Colour: on when stdout is a terminal; NO_COLOR=1 turns it off, FORCE_COLOR=1 turns it on elsewhere (NO_COLOR wins).
Exit codes: 0 success, 1 check failed, 2 bad input or usage.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    writeOut(usage + '\n');
    return name === undefined ? ExitCode.badInput : ExitCode.ok;
  }
  const command = commands[name];
  if (!command) throw new UsageError(`unknown command "${name}".\n\n${usage}`);
  if (args.includes('--help') || args.includes('-h')) {
    writeOut(command.usage + '\n');
    return ExitCode.ok;
  }
  return command.run(args);
}

/**
 * Every error raised on purpose carries its contract code, mapped to the exit code in one place
 * (exit-codes.ts); a refusal under the board's rules says so. Anything else is a bug and says so.
 */
function reportError(error: unknown): number {
  if (error instanceof DomainError) {
    writeErr(`countersign: ${error.code === 'refused' ? 'refused: ' : ''}${error.message}\n`);
    return exitCodeFor(error.code);
  }
  if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    writeErr(`countersign: ${error.message}\n`);
    return ExitCode.badInput;
  }
  writeErr(`countersign: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return ExitCode.badInput;
}

installNativeHashes();
process.exitCode = await main(process.argv.slice(2)).catch(reportError);
