import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Cosigner } from '../../../shared/api/commands/release-cosign-commands';
import { fields, jsonText } from '../../../shared/text/neutralise';
import { CLI_JOB, withDispatcher } from '../cli-dispatcher';
import { ExitCode, UsageError } from '../exit-codes';
import { maxRatioOf, maxRatioOption, maxRatioUsage } from '../max-ratio';
import { writeOut } from '../output';
import { PASSPHRASE_VARIABLE, readPassphrase } from '../passphrase';
import { createProgressPrinter } from '../progress';

export const releaseSignUsage = `countersign release sign <bundle> (--key <key-id> | --key-file <OpenSSH private key file> | --ssh-agent <key-id>) [--board <board.json>] [--json] [--max-ratio <n>] [--data-dir <dir>]

  Adds a co-signature to the bundle's release manifest (FORMATS §3: one more entry in the
  envelope's signatures, over the same payload bytes, so the manifest digest and every approval
  of it stay valid). The manifest file is replaced atomically. The bundle is verified first: a
  blob that does not match its pin is refused, and a key that already signed is refused.
  A bundle directory only: an archive is refused, never rewritten (unpack, sign, pack again).
  --key <key-id>        a key of the profile; its passphrase is asked, or read from ${PASSPHRASE_VARIABLE}
  --key-file <file>     an OpenSSH Ed25519 private key file; its passphrase, if any, from ${PASSPHRASE_VARIABLE}
  --ssh-agent <key-id>  an Ed25519 key held by the ssh-agent at SSH_AUTH_SOCK (ssh-add -l shows its key ID)
  --board <file>        verify under this board policy file alone; the profile is not read for trust
  ${maxRatioUsage}
  Exit: 0 signed, 1 refused (a blob does not match its pin), 2 unreadable input, an archive, a
  key that already signed, a wrong passphrase, an unknown key, or a usage error.`;

export async function releaseSignCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      key: { type: 'string' },
      'key-file': { type: 'string' },
      'ssh-agent': { type: 'string' },
      board: { type: 'string' },
      json: { type: 'boolean' },
      'data-dir': { type: 'string' },
      ...maxRatioOption,
    },
  });
  if (positionals.length !== 1) throw new UsageError(`release sign takes one bundle path.\n\n${releaseSignUsage}`);
  const bundlePath = positionals[0]!;
  const chosen = [values.key, values['key-file'], values['ssh-agent']].filter((value) => value !== undefined);
  if (chosen.length !== 1 || chosen[0]!.trim() === '') throw new UsageError(`release sign needs exactly one of --key <key-id>, --key-file <file> and --ssh-agent <key-id>.\n\n${releaseSignUsage}`);

  const progress = values.json ? null : createProgressPrinter(process.stderr);
  try {
    return await withDispatcher({ dataDir: values['data-dir'], board: values.board, onProgress: progress?.update }, async (call) => {
      let signer: Cosigner;
      if (values.key !== undefined) {
        const keyId = values.key;
        const key = (await call('keys.list', {})).find((candidate) => candidate.keyId === keyId);
        if (key === undefined) throw new UsageError(`no key ${keyId} in this profile (see countersign keys list).`);
        signer = { kind: 'profile', keyId };
      } else if (values['key-file'] !== undefined) {
        const passphrase = process.env[PASSPHRASE_VARIABLE];
        signer = { kind: 'key-file', path: path.resolve(values['key-file']), ...(passphrase !== undefined && passphrase !== '' ? { passphrase } : {}) };
      } else {
        signer = { kind: 'ssh-agent', keyId: values['ssh-agent']! };
      }
      const { sessionId } = await call('session.open', { path: bundlePath, jobId: CLI_JOB, ...maxRatioOf(values['max-ratio']) });
      if (signer.kind === 'profile') await call('keys.unlock', { keyId: signer.keyId, passphrase: await readPassphrase(`Passphrase for ${signer.keyId}`) });
      try {
        const signed = await call('release.sign', { sessionId, signer, jobId: CLI_JOB });
        progress?.done();
        const human = fields`Signed ${signed.file} with ${signed.keyId}: the manifest (sha256 ${signed.manifestDigest}) now carries ${String(signed.signatures)} signatures.`;
        writeOut((values.json ? jsonText(signed) : human) + '\n');
        return ExitCode.ok;
      } finally {
        if (signer.kind === 'profile') await call('keys.lock', { keyId: signer.keyId });
      }
    });
  } finally {
    progress?.done();
  }
}
