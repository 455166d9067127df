import { DomainError } from '../../../shared/errors/domain-error';

/** Bad input to `release create`: the problem is named, and nothing is written. */
export class ReleaseInputError extends DomainError {
  constructor(message: string) {
    super('invalid-input', message);
  }
}
