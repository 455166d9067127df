import { ApprovalError } from '../services/approvals/approval-error';
import { KeyLockedError, KeyProtectionError, UnknownKeyError, WrongPassphraseError } from '../services/keys/key-store';
import { OpenSshKeyError } from '../services/keys/openssh-private-key';
import { ExitCode, UsageError } from './exit-codes';
import { writeErr } from './output';

/**
 * Runs a key or approval command. A refusal about the release or the board (the release does not
 * verify, the key is no member's) prints why and exits 1; a key that cannot be used as given (wrong
 * passphrase, unknown, unreadable key file) is bad input and exits 2. Nothing was changed either way.
 */
export async function runWithApprovalErrors(work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ApprovalError) {
      if (error.code !== 'conflict') throw new UsageError(error.message);
      writeErr(`countersign: refused: ${error.message}\n`);
      return ExitCode.failed;
    }
    const badKey =
      error instanceof WrongPassphraseError ||
      error instanceof KeyLockedError ||
      error instanceof KeyProtectionError ||
      error instanceof UnknownKeyError ||
      error instanceof OpenSshKeyError ||
      error instanceof RangeError ||
      (error instanceof Error && /is already stored/.test(error.message));
    if (badKey) throw new UsageError((error as Error).message);
    throw error;
  }
}
