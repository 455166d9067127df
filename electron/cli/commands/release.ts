import { UsageError } from '../exit-codes';
import { releaseReproduceCommand, releaseReproduceUsage } from './release-reproduce';
import { releaseSignCommand, releaseSignUsage } from './release-sign';

export const releaseUsage = `countersign release sign|reproduce ...

${releaseSignUsage}

${releaseReproduceUsage}`;

const subcommands: Record<string, (args: string[]) => Promise<number>> = {
  sign: releaseSignCommand,
  reproduce: releaseReproduceCommand,
};

export async function releaseCommand(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  const subcommand = name === undefined ? undefined : subcommands[name];
  if (subcommand === undefined) throw new UsageError(`release takes a subcommand: ${Object.keys(subcommands).join(', ')}.\n\n${releaseUsage}`);
  return subcommand(rest);
}
