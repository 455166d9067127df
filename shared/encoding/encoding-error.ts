import { DomainError } from '../errors/domain-error';

/** A string that is not the canonical text encoding it claims to be (base64, hex). */
export class EncodingError extends DomainError {
  constructor(
    /** What was being decoded, e.g. "signature 0". */
    readonly what: string,
    /** The problem without its subject, e.g. "not valid base64 (padding in the middle)". */
    readonly reason: string,
  ) {
    super('invalid-format', `${what} is ${reason}`);
  }
}
