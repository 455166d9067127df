import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { approvalFileName, bundleApprovalsFolder, writeFileAtomically } from './write-approval-file';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-write-approval-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('approvalFileName', () => {
  it('makes the key ID and time safe for any file system', () => {
    expect(approvalFileName('SHA256:kHsoUfRT8ksPMFg9n/5dTrmMj1k3i59zAAnm+X5r56g', '2026-11-03T09:30:00Z')).toBe('SHA256-kHsoUfRT8ksPMFg9n_5dTrmMj1k3i59zAAnm-X5r56g-20261103T093000Z.dsse.json');
  });
});

describe('writeFileAtomically', () => {
  it('writes the whole text and leaves no temporary file', async () => {
    const target = path.join(dir, 'a.dsse.json');
    await writeFileAtomically(target, '{"x":1}\n');
    expect(fs.readFileSync(target, 'utf8')).toBe('{"x":1}\n');
    expect(fs.readdirSync(dir)).toEqual(['a.dsse.json']);
  });

  it('never replaces an existing file, and cleans up after itself', async () => {
    const target = path.join(dir, 'a.dsse.json');
    fs.writeFileSync(target, 'first');
    await expect(writeFileAtomically(target, 'second')).rejects.toMatchObject({ code: 'EEXIST' });
    expect(fs.readFileSync(target, 'utf8')).toBe('first');
    expect(fs.readdirSync(dir)).toEqual(['a.dsse.json']);
  });
});

describe('bundleApprovalsFolder', () => {
  it('creates approvals/ inside the bundle', async () => {
    expect(await bundleApprovalsFolder(dir)).toBe(path.join(dir, 'approvals'));
    expect(fs.statSync(path.join(dir, 'approvals')).isDirectory()).toBe(true);
  });

  it('refuses an approvals/ that is a link leading out of the bundle', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-outside-'));
    try {
      fs.symlinkSync(outside, path.join(dir, 'approvals'));
      await expect(bundleApprovalsFolder(dir)).rejects.toThrow(/not a folder/);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
