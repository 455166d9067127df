import { z } from 'zod';

export const errorCodeSchema = z.enum([
  /** The input does not match the command's schema. */
  'invalid-input',
  /** A named file, key, session or job does not exist. */
  'not-found',
  /** A file could not be read (permissions, I/O, not a bundle). */
  'unreadable',
  /** Input refused as hostile: path traversal, links, caps exceeded, nested archives, ... */
  'hostile-input',
  /** A document breaks FORMATS.md: bad JSON, bad envelope, bad digest, bad key, ... */
  'invalid-format',
  /** The person cancelled the work. */
  'cancelled',
  /** This host cannot do that (e.g. a native file dialog in the web host). */
  'unsupported',
  /**
   * The request does not fit the current state: a confirmation that does not match what it
   * confirms, a locked key, a bundle changed since it was verified, no board policy imported.
   */
  'conflict',
  /** The board's rules refuse it: the release does not verify, the key or role cannot approve. */
  'refused',
  'internal',
]);
export type ErrorCode = z.infer<typeof errorCodeSchema>;
