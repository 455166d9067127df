import { UsageError } from './exit-codes';

/** Scripts pass the passphrase in this variable; it is never taken from a flag (flags show in `ps`). */
export const PASSPHRASE_VARIABLE = 'COUNTERSIGN_PASSPHRASE';

export interface PassphraseSource {
  env?: NodeJS.ProcessEnv;
  input?: NodeJS.ReadStream;
  output?: NodeJS.WriteStream;
}

/**
 * The passphrase from COUNTERSIGN_PASSPHRASE, or else asked on the terminal without echo. When a
 * new passphrase is being chosen (`confirm`), the terminal asks twice and the two must match.
 */
export async function readPassphrase(prompt: string, options: PassphraseSource & { confirm?: boolean } = {}): Promise<string> {
  const env = options.env ?? process.env;
  const fromEnv = env[PASSPHRASE_VARIABLE];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;

  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stderr;
  if (!input.isTTY) throw new UsageError(`a passphrase is needed: run on a terminal to be asked for it, or set ${PASSPHRASE_VARIABLE}.`);
  const first = await askHidden(`${prompt}: `, input, output);
  if (first === '') throw new UsageError('the passphrase is empty.');
  if (options.confirm) {
    const second = await askHidden('Repeat it: ', input, output);
    if (second !== first) throw new UsageError('the two passphrases differ; nothing was changed.');
  }
  return first;
}

/** Reads one line from a terminal in raw mode, echoing nothing. Ctrl-C and Ctrl-D abandon it. */
function askHidden(prompt: string, input: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<string> {
  output.write(prompt);
  input.setRawMode(true);
  input.resume();
  input.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error: Error | null) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish(null);
        if (char === '\u0003' || char === '\u0004') return finish(new UsageError('no passphrase given; nothing was changed.'));
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    input.on('data', onData);
  });
}
