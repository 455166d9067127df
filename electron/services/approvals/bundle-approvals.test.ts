import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_APPROVAL_BYTES } from '../../../shared/approvals/check-approval';
import { openBundle } from '../bundle/open-bundle';
import { readBundleApprovals } from './bundle-approvals';

let work: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-bundle-approvals-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function bundleWithApprovals(name: string, count: number): string {
  const dir = path.join(work, name);
  fs.mkdirSync(path.join(dir, 'approvals'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'manifest.dsse.json'), '{}');
  for (let i = 0; i < count; i++) fs.writeFileSync(path.join(dir, 'approvals', `${String(i).padStart(3, '0')}.dsse.json`), `approval ${i}`);
  return dir;
}

describe('readBundleApprovals', () => {
  it('reads every approval, several at a time, in the order of the layout', async () => {
    const bundle = await openBundle(bundleWithApprovals('many', 53));
    try {
      const approvals = await readBundleApprovals(bundle);
      expect(approvals.map((approval) => approval.file)).toEqual(Array.from({ length: 53 }, (_, i) => `approvals/${String(i).padStart(3, '0')}.dsse.json`));
      expect(approvals.map((approval) => new TextDecoder().decode(approval.bytes))).toEqual(Array.from({ length: 53 }, (_, i) => `approval ${i}`));
    } finally {
      await bundle.close();
    }
  });

  it('refuses the whole set when one approval is over the cap, naming it', async () => {
    const dir = bundleWithApprovals('oversized', 20);
    fs.writeFileSync(path.join(dir, 'approvals', '017.dsse.json'), Buffer.alloc(MAX_APPROVAL_BYTES + 1, 0x20));
    const bundle = await openBundle(dir);
    try {
      await expect(readBundleApprovals(bundle)).rejects.toThrow(/017\.dsse\.json/);
    } finally {
      await bundle.close();
    }
  });

  it('refuses an approval turned into a link, or removed, since the bundle was opened, across read chunks', async () => {
    const dir = bundleWithApprovals('changed-since', 150);
    const bundle = await openBundle(dir);
    try {
      const target = path.join(dir, 'approvals', '140.dsse.json');
      fs.rmSync(target);
      fs.symlinkSync(path.join(dir, 'manifest.dsse.json'), target);
      await expect(readBundleApprovals(bundle)).rejects.toThrow(/140\.dsse\.json became a symbolic link/);
      fs.rmSync(target);
      await expect(readBundleApprovals(bundle)).rejects.toThrow(/140\.dsse\.json is no longer in the bundle/);
    } finally {
      await bundle.close();
    }
  });
});
