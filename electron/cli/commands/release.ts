import { UsageError } from '../exit-codes';
import { releaseCreateCommand, releaseCreateUsage } from './release-create';

export const releaseUsage = `countersign release create ...

${releaseCreateUsage}`;

const subcommands: Record<string, (args: string[]) => Promise<number>> = {
  create: releaseCreateCommand,
};

export async function releaseCommand(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  const subcommand = name === undefined ? undefined : subcommands[name];
  if (subcommand === undefined) throw new UsageError(`release takes a subcommand: ${Object.keys(subcommands).join(', ')}.\n\n${releaseUsage}`);
  return subcommand(rest);
}
