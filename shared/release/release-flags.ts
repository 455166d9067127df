import { InvalidInputError } from '../errors/domain-error';
import { FormatError } from '../formats/format-error';
import { parseRfc3339Utc } from '../formats/rfc3339';
import { artifactKindSchema, type ArtifactKind } from '../verify/report';
import type { Tolerance } from './release-statement';

/**
 * The values `release create` takes as text (from the command line or the app), each checked
 * here with an error that names the flag and says what is expected.
 */

export interface PinnedSubjectFlag {
  name: string;
  kind: ArtifactKind;
  digest: Record<string, string>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const GIT_COMMIT_HEX = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** `--subject <kind>:<name>=sha256:<hex>` (a code commit: `code:<repository URL>=gitCommit:<hex>`). */
export function parsePinnedSubject(text: string): PinnedSubjectFlag {
  const fail = (problem: string): never => {
    throw new InvalidInputError(`--subject ${JSON.stringify(text)}: ${problem}; write <kind>:<name>=sha256:<64 lowercase hex>`);
  };
  const colon = text.indexOf(':');
  const equals = text.lastIndexOf('=');
  if (colon <= 0 || equals < colon) fail('it is not of the form <kind>:<name>=<digest>');
  const kind = artifactKindSchema.safeParse(text.slice(0, colon));
  if (!kind.success) fail(`the kind must be one of ${artifactKindSchema.options.join(', ')}`);
  const name = text.slice(colon + 1, equals);
  if (name.trim() === '') fail('the name is empty');
  const digestText = text.slice(equals + 1);
  const digestColon = digestText.indexOf(':');
  const algorithm = digestText.slice(0, digestColon);
  const hex = digestText.slice(digestColon + 1);
  if (kind.data === 'code') {
    if (algorithm !== 'gitCommit' || !GIT_COMMIT_HEX.test(hex)) fail('a code subject is pinned by gitCommit:<40 or 64 lowercase hex>');
    return { name, kind: 'code', digest: { gitCommit: hex } };
  }
  if (algorithm !== 'sha256') fail(`the digest must be sha256 (got ${JSON.stringify(algorithm)})`);
  if (!SHA256_HEX.test(hex)) fail('the sha256 digest must be 64 lowercase hex characters');
  return { name, kind: kind.data!, digest: { sha256: hex } };
}

/** `--tolerance <metric>=<max delta>`: how far a rerun's metric may move (FORMATS §4 `tolerance`). */
export function parseTolerance(text: string): Tolerance {
  const { name, value } = nameAndNumber(text, '--tolerance', '<metric>=<max delta>, e.g. AUC=0.01');
  if (value < 0) throw new InvalidInputError(`--tolerance ${JSON.stringify(text)}: the maximum delta cannot be negative`);
  return { metric: name, maxDelta: value };
}

/** `--metric <name>=<value>`: one metric of the release's own evaluation. */
export function parseMetric(text: string): { name: string; value: number } {
  return nameAndNumber(text, '--metric', '<name>=<value>, e.g. AUC=0.912');
}

/** `--seed <n>`: a whole number from 0 to 2^53-1, recorded as `environment.seed`. */
export function parseSeed(text: string): number {
  const seed = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(seed)) throw new InvalidInputError(`--seed ${JSON.stringify(text)}: expected a whole number from 0 to ${Number.MAX_SAFE_INTEGER}`);
  return seed;
}

/** `--created-at <RFC 3339>`: UTC with `Z`, as FORMATS §1 writes times. */
export function parseCreatedAt(text: string): string {
  try {
    return parseRfc3339Utc(text, '--created-at');
  } catch (error) {
    if (error instanceof FormatError) throw new InvalidInputError(`--created-at: ${error.reason}`);
    throw error;
  }
}

/** Now, as `createdAt` is written: whole seconds, UTC, `Z`. */
export function createdAtNow(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function nameAndNumber(text: string, flag: string, form: string): { name: string; value: number } {
  const equals = text.lastIndexOf('=');
  const name = equals > 0 ? text.slice(0, equals).trim() : '';
  const valueText = equals > 0 ? text.slice(equals + 1).trim() : '';
  // Decimal numbers only, as JSON writes them: no hex, no Infinity, no empty string.
  const value = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(valueText) ? Number(valueText) : Number.NaN;
  if (name === '' || !Number.isFinite(value)) throw new InvalidInputError(`${flag} ${JSON.stringify(text)}: write ${form}`);
  return { name, value };
}
