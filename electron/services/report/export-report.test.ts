import { describe, expect, it } from 'vitest';
import { safeFileName } from './export-report';

describe('safeFileName', () => {
  it('keeps a release name to letters, digits, dots, dashes and underscores, never a path', () => {
    expect(safeFileName('fraud-detector m92')).toBe('fraud-detector-m92');
    expect(safeFileName('../../etc/passwd')).toBe('etc-passwd');
    expect(safeFileName('a\u202egnp.exe\u001b[2J\\b')).toBe('a-gnp.exe-2J-b');
    expect(safeFileName('...')).toBe('release');
    expect(safeFileName('x'.repeat(500))).toHaveLength(80);
  });
});
