import path from 'node:path';
import { parseArgs } from 'node:util';
import { withDispatcher, type CliCall } from '../cli-dispatcher';
import { ExitCode, UsageError } from '../exit-codes';
import { readPassphrase } from '../passphrase';

export const keysUsage = `countersign keys generate|import|list|export|remove [options] [--json] [--data-dir <dir>]

  countersign keys generate --name <name>          make an Ed25519 reviewer key
  countersign keys import <file> --name <name>     import an OpenSSH ed25519 private key (as ssh-keygen writes it)
  countersign keys list                            the keys held in the profile, by key ID
  countersign keys export <key-id>                 print the public key as an OpenSSH line
  countersign keys remove <key-id>                 delete a key from the profile

  The passphrase that protects a key at rest is asked on the terminal (twice for a new key), or
  read from COUNTERSIGN_PASSPHRASE in scripts; never from a flag. For an encrypted OpenSSH key it
  is the file's own passphrase.
  Exit: 0 done, 2 bad input (wrong passphrase, unreadable key file, unknown key) or usage error.`;

export async function keysCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { name: { type: 'string' }, json: { type: 'boolean' }, 'data-dir': { type: 'string' } },
  });
  const [action, ...operands] = positionals;
  const print = (json: unknown, human: string) => process.stdout.write((values.json ? JSON.stringify(json, null, 2) : human) + '\n');
  const needs = (count: number, what: string) => {
    if (operands.length !== count) throw new UsageError(`keys ${action} takes ${what}.\n\n${keysUsage}`);
  };
  const needsName = (): string => {
    if (values.name === undefined || values.name.trim() === '') throw new UsageError(`keys ${action} needs --name <name>.\n\n${keysUsage}`);
    return values.name;
  };

  const withKeys = (work: (call: CliCall) => Promise<number>) => withDispatcher({ dataDir: values['data-dir'] }, work);

  switch (action) {
    case 'generate': {
      needs(0, 'no operand');
      const name = needsName();
      return withKeys(async (call) => {
        const passphrase = await readPassphrase(`Passphrase for the new key ${name}`, { confirm: true });
        const key = await call('keys.generate', { name, passphrase });
        print(key, `Generated ${key.keyId}  ${key.name}\n${key.publicKey}`);
        return ExitCode.ok;
      });
    }
    case 'import': {
      needs(1, 'one private key file');
      const name = needsName();
      const keyFile = path.resolve(operands[0]!);
      return withKeys(async (call) => {
        // Refuse an unreadable file before asking for a passphrase; the import reads it again and zeroes the bytes.
        await call('keys.inspectKeyFile', { path: keyFile });
        const passphrase = await readPassphrase(`Passphrase for ${name} (the key file's own, if it has one)`, { confirm: true });
        const key = await call('keys.import', { path: keyFile, name, passphrase });
        print(key, `Imported ${key.keyId}  ${key.name}\n${key.publicKey}`);
        return ExitCode.ok;
      });
    }
    case 'list': {
      needs(0, 'no operand');
      return withKeys(async (call) => {
        const keys = await call('keys.list', {});
        print(keys, keys.length === 0 ? 'No keys in this profile.' : keys.map((key) => `${key.keyId}  ${key.name}  (${key.origin} ${key.createdAt})`).join('\n'));
        return ExitCode.ok;
      });
    }
    case 'export': {
      needs(1, 'one key ID');
      return withKeys(async (call) => {
        const exported = await call('keys.exportPublic', { keyId: operands[0]! });
        print(exported, exported.publicKey);
        return ExitCode.ok;
      });
    }
    case 'remove': {
      needs(1, 'one key ID');
      return withKeys(async (call) => {
        const keyId = operands[0]!;
        if (!(await call('keys.remove', { keyId })).removed) throw new UsageError(`no key ${keyId} in this profile.`);
        print({ keyId, removed: true }, `Removed ${keyId}`);
        return ExitCode.ok;
      });
    }
    default:
      throw new UsageError(`${action === undefined ? 'keys needs an action' : `unknown keys action "${action}"`}.\n\n${keysUsage}`);
  }
}
