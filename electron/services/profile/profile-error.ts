import type { ErrorCode } from '../../../shared/api/contract';
import { DomainError } from '../../../shared/errors/domain-error';

/** The profile cannot serve what was asked: no board policy imported, or no store behind `--board`. */
export class ProfileError extends DomainError {
  constructor(code: Extract<ErrorCode, 'conflict' | 'unsupported'>, message: string) {
    super(code, message);
  }
}
