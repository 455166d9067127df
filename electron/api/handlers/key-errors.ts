import { ApprovalError } from '../../services/approvals/approval-error';
import { KeyLockedError, KeyProtectionError, UnknownKeyError, WrongPassphraseError } from '../../services/keys/key-store';
import { OpenSshKeyError } from '../../services/keys/openssh-private-key';
import { PrivateKeyFileError } from '../../services/keys/private-key-file';
import { HandlerError } from '../api-error';

/** Runs `work`, turning key store and approval refusals into the contract's error codes. */
export async function withKeyErrors<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asHandlerError(error);
  }
}

function asHandlerError(error: unknown): unknown {
  if (error instanceof ApprovalError) return new HandlerError(error.code, error.message);
  if (error instanceof WrongPassphraseError || error instanceof KeyLockedError || error instanceof KeyProtectionError) return new HandlerError('conflict', error.message);
  if (error instanceof UnknownKeyError) return new HandlerError('not-found', error.message);
  if (error instanceof OpenSshKeyError) return new HandlerError('invalid-format', error.message);
  if (error instanceof PrivateKeyFileError) return new HandlerError('invalid-input', error.message);
  if (error instanceof RangeError) return new HandlerError('invalid-input', error.message);
  // The KeyStore refuses a second copy of a key it holds with a plain Error.
  if (error instanceof Error && /is already stored/.test(error.message)) return new HandlerError('conflict', error.message);
  return error;
}
