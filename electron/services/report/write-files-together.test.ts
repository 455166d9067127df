import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFilesTogether } from './write-files-together';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('writeFilesTogether', () => {
  it('writes every file, replacing an older one', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-write-together-'));
    try {
      fs.writeFileSync(path.join(work, 'record.md'), 'old');
      await writeFilesTogether([
        { path: path.join(work, 'record.md'), bytes: bytes('new record') },
        { path: path.join(work, 'evidence.zip'), bytes: bytes('zip') },
      ]);
      expect(fs.readFileSync(path.join(work, 'record.md'), 'utf8')).toBe('new record');
      expect(fs.readFileSync(path.join(work, 'evidence.zip'), 'utf8')).toBe('zip');
      expect(fs.readdirSync(work).sort()).toEqual(['evidence.zip', 'record.md']);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  it('writes none when one cannot be written, and leaves no temporary file behind', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-write-together-'));
    try {
      fs.writeFileSync(path.join(work, 'record.md'), 'old');
      fs.mkdirSync(path.join(work, 'evidence.zip'));
      await expect(
        writeFilesTogether([
          { path: path.join(work, 'record.md'), bytes: bytes('new record') },
          { path: path.join(work, 'evidence.zip'), bytes: bytes('zip') },
        ]),
      ).rejects.toThrow(/not a regular file/);
      await expect(writeFilesTogether([{ path: path.join(work, 'missing-folder', 'record.md'), bytes: bytes('x') }])).rejects.toThrow();
      expect(fs.readFileSync(path.join(work, 'record.md'), 'utf8')).toBe('old');
      expect(fs.readdirSync(work).sort()).toEqual(['evidence.zip', 'record.md']);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});
