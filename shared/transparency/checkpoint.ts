import { decodeBase64Strict, encodeBase64 } from '../encoding/base64';
import { MERKLE_HASH_LENGTH } from './merkle';
import { NoteError, checkKeyName } from './signed-note';

/** The body of a C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): origin, tree size, root hash, extension lines. */
export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  extensions: string[];
}

export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw new NoteError('A checkpoint ends with a newline.');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new NoteError('A checkpoint has at least three lines: origin, tree size, root hash.');
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) throw new NoteError('The checkpoint has an empty origin.');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText)) throw new NoteError(`The checkpoint's tree size "${sizeText}" is not a decimal without leading zeroes.`);
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) throw new NoteError(`The checkpoint's tree size ${sizeText} is too large.`);
  const rootHash = decodeBase64Strict(rootText, 'the checkpoint root hash');
  if (rootHash.length !== MERKLE_HASH_LENGTH) throw new NoteError(`The checkpoint's root hash is ${rootHash.length} bytes, not ${MERKLE_HASH_LENGTH}.`);
  if (extensions.some((line) => line.length === 0)) throw new NoteError('A checkpoint extension line is empty.');
  return { origin, size, rootHash, extensions };
}

export function formatCheckpoint(checkpoint: Checkpoint): string {
  checkKeyName(checkpoint.origin);
  const lines = [checkpoint.origin, String(checkpoint.size), encodeBase64(checkpoint.rootHash), ...checkpoint.extensions];
  return `${lines.join('\n')}\n`;
}
