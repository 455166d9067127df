import { DEFAULT_MAX_COMPRESSION_RATIO } from '../services/bundle/limits';
import { UsageError } from './exit-codes';

/** The option every command that opens a bundle takes, as parseArgs declares it. */
export const maxRatioOption = { 'max-ratio': { type: 'string' } } as const;

export const maxRatioUsage = `--max-ratio <n>  let an archive expand up to n bytes per compressed byte (default ${DEFAULT_MAX_COMPRESSION_RATIO}): for a
                   bundle refused as an archive bomb that really is that compressible`;

/** `--max-ratio` as session.open takes it: absent, or a number of at least 1. */
export function maxRatioOf(text: string | undefined): { maxCompressionRatio?: number } {
  if (text === undefined) return {};
  const ratio = Number(text);
  if (!Number.isFinite(ratio) || ratio < 1 || ratio > 1_000_000) throw new UsageError(`--max-ratio must be a number from 1 to 1000000, got "${text}".`);
  return { maxCompressionRatio: ratio };
}
