import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { openBundle, readBundleFile } from '../bundle/open-bundle';
import { crc32, writeZip } from './write-zip';

const entries = [
  { name: 'manifest.dsse.json', bytes: new TextEncoder().encode('{"payload":"x"}') },
  { name: 'approvals/ada.dsse.json', bytes: Uint8Array.from({ length: 70_000 }, (_, index) => (index * 31) & 0xff) },
  { name: 'notes/ünïcödé.txt', bytes: new Uint8Array(0) },
];

describe('writeZip', () => {
  it('computes the CRC-32 of the zip format', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('gives the same bytes for the same entries', () => {
    expect(Buffer.from(writeZip(entries)).equals(Buffer.from(writeZip(entries)))).toBe(true);
  });

  it('writes an archive that the bundle reader and unzip read back byte for byte', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-write-zip-'));
    try {
      const file = path.join(work, 'evidence.zip');
      fs.writeFileSync(file, writeZip(entries));
      execFileSync('unzip', ['-tq', file]);
      const bundle = await openBundle(file, { tempRoot: work });
      try {
        for (const entry of entries) expect(Buffer.from(await readBundleFile(bundle, entry.name, 1 << 20)).equals(Buffer.from(entry.bytes))).toBe(true);
      } finally {
        await bundle.close();
      }
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  it('refuses a name that could point outside the archive, and a name given twice', () => {
    for (const name of ['../x', '/etc/passwd', 'a/../b', 'a\\b', '', 'a//b']) expect(() => writeZip([{ name, bytes: new Uint8Array(1) }])).toThrow(RangeError);
    expect(() => writeZip([entries[0]!, entries[0]!])).toThrow(/twice/);
  });
});
