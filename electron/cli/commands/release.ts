import { UsageError } from '../exit-codes';
import { releaseCreateCommand, releaseCreateUsage } from './release-create';
import { releaseReproduceCommand, releaseReproduceUsage } from './release-reproduce';
import { releaseSignCommand, releaseSignUsage } from './release-sign';

export const releaseUsage = `countersign release create|sign|reproduce ...

${releaseCreateUsage}

${releaseSignUsage}

${releaseReproduceUsage}`;

const subcommands: Record<string, (args: string[]) => Promise<number>> = {
  create: releaseCreateCommand,
  sign: releaseSignCommand,
  reproduce: releaseReproduceCommand,
};

export async function releaseCommand(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  const subcommand = name === undefined ? undefined : subcommands[name];
  if (subcommand === undefined) throw new UsageError(`release takes a subcommand: ${Object.keys(subcommands).join(', ')}.\n\n${releaseUsage}`);
  return subcommand(rest);
}
