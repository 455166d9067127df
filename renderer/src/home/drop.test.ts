import { describe, it, expect } from 'vitest';
import { MAX_DROPPED_ARCHIVE_BYTES } from '../../../shared/api/contract';
import { base64OfDataUrl, dropProblem } from './drop';

describe('dropProblem', () => {
  it('accepts the archive formats a bundle comes in, in any case', () => {
    for (const name of ['release.tar', 'release.tar.gz', 'release.TGZ', 'release.zip']) {
      expect(dropProblem(name, 1024)).toBeNull();
    }
  });

  it('accepts an archive of exactly the limit', () => {
    expect(dropProblem('big.zip', MAX_DROPPED_ARCHIVE_BYTES)).toBeNull();
  });

  it('refuses an archive over the limit, saying its size, the limit and what to do instead', () => {
    expect(dropProblem('huge.tar.gz', 300 * 1024 * 1024)).toBe(
      'huge.tar.gz is 300 MiB, more than the 256 MiB a dropped archive may be. Open it by its path instead.',
    );
  });

  it('refuses files that are not bundle archives', () => {
    expect(dropProblem('notes.txt', 10)).toMatch(/^notes\.txt is not a bundle archive/);
  });
});

describe('base64OfDataUrl', () => {
  it('returns the payload of a base64 data URL', () => {
    expect(base64OfDataUrl('data:application/zip;base64,UEsDBA==')).toBe('UEsDBA==');
    expect(base64OfDataUrl('data:;base64,')).toBe('');
  });

  it('refuses anything else', () => {
    expect(() => base64OfDataUrl('data:text/plain,hello')).toThrow('could not be read as base64');
  });
});
