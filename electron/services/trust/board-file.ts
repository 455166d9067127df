import fs from 'node:fs/promises';
import { DomainError } from '../../../shared/errors/domain-error';
import { sha256Hex } from '../../../shared/crypto/hash';
import { parseBoardPolicy, type BoardPolicy } from '../../../shared/formats/board-policy';
import { parseStrictJson } from '../../../shared/json/strict-json';

export const MAX_BOARD_POLICY_BYTES = 4 * 1024 * 1024;

export interface LoadedBoardPolicy {
  policy: BoardPolicy;
  bytes: Uint8Array;
  /** sha256 hex of the exact file bytes: what approvals record. */
  digest: string;
}

export class BoardPolicyError extends DomainError {
  constructor(message: string) {
    super('invalid-format', message);
  }
}

/** Parses board policy bytes strictly; the error says which file and which JSON path is wrong. */
export function parseBoardPolicyBytes(bytes: Uint8Array, label: string): LoadedBoardPolicy {
  try {
    const policy = parseBoardPolicy(parseStrictJson(bytes, { maxBytes: MAX_BOARD_POLICY_BYTES }));
    return { policy, bytes, digest: sha256Hex(bytes) };
  } catch (error) {
    throw new BoardPolicyError(`${label} is not a valid board policy: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function readBoardPolicyFile(path: string): Promise<LoadedBoardPolicy> {
  let bytes: Uint8Array;
  try {
    const stat = await fs.stat(path);
    if (!stat.isFile()) throw new Error('not a regular file');
    if (stat.size > MAX_BOARD_POLICY_BYTES) throw new Error(`larger than the ${MAX_BOARD_POLICY_BYTES}-byte cap`);
    bytes = new Uint8Array(await fs.readFile(path));
  } catch (error) {
    throw new BoardPolicyError(`Cannot read the board policy ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseBoardPolicyBytes(bytes, path);
}
