import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHashPool, HashCancelledError, type HashPool } from '../hashing/hash-files';
import { trustFromBoardFile } from '../trust/trust-sources';
import type { TrustContext } from '../../../shared/verify/trust';
import { verifyPath } from '../session/test-sessions';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const demoBundle = path.join(repoRoot, 'assets/demo/bundle');

let work: string;
let tempRoot: string;
let pool: HashPool;
let trust: TrustContext;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-verify-'));
  tempRoot = path.join(work, 'unpack');
  fs.mkdirSync(tempRoot);
  pool = createHashPool({ workers: 2 });
  trust = await trustFromBoardFile(path.join(repoRoot, 'assets/demo/board.json'));
});
afterAll(async () => {
  await pool.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('verifying a bundle in a review session', () => {
  it('gives the same verified report for the demo as a directory, a .tar.gz, a .zip and a .csbundle of either', async () => {
    const tgz = path.join(work, 'demo.tar.gz');
    execFileSync('tar', ['-czf', tgz, '-C', path.dirname(demoBundle), 'bundle']);
    const zip = path.join(work, 'demo.zip');
    execFileSync('python3', ['-c', 'import shutil,sys; shutil.make_archive(sys.argv[1][:-4], "zip", sys.argv[2])', zip, demoBundle]);

    const csZip = path.join(work, 'demo-zip.csbundle');
    fs.copyFileSync(zip, csZip);
    const csTgz = path.join(work, 'demo-tgz.csbundle');
    fs.copyFileSync(tgz, csTgz);

    const reports = await Promise.all([demoBundle, tgz, zip, csZip, csTgz].map((bundle) => verifyPath(bundle, trust, { hashPool: pool, tempRoot })));
    for (const report of reports) {
      expect(report.verdict).toBe('verified');
      expect(report.counts).toMatchObject({ subjects: 6, checked: 4, ok: 4, notChecked: 2 });
    }
    expect(reports.map((r) => r.bundle.container)).toEqual(['directory', 'tar.gz', 'zip', 'zip', 'tar.gz']);
    expect(reports.every((r) => r.bundle.format === 'countersign')).toBe(true);
    expect(new Set(reports.map((r) => r.manifest!.digest)).size).toBe(1);
    expect(fs.readdirSync(tempRoot)).toEqual([]);
  });

  it.each([
    ['without a manifest', (file: string) => fs.rmSync(file)],
    ['whose envelope cannot be read', (file: string) => fs.writeFileSync(file, '{"payloadType": "application/vnd.in-toto+json", "payload": ')],
  ])('reports a bundle %s as invalid, its blobs not checked rather than unexpected', async (_label, spoil) => {
    const dir = fs.mkdtempSync(path.join(work, 'unread-manifest-'));
    fs.cpSync(demoBundle, dir, { recursive: true });
    spoil(path.join(dir, 'manifest.dsse.json'));
    const report = await verifyPath(dir, trust, { hashPool: pool });
    expect(report.verdict).toBe('invalid');
    expect(report.reasons[0]).toContain('manifest.dsse.json');
    expect(report.unexpectedBlobs).toEqual([]);
    expect(report.findings.filter((finding) => finding.code === 'unexpected-blob')).toEqual([]);
    const notChecked = report.findings.find((finding) => finding.code === 'blobs-not-checked');
    expect(notChecked?.message).toMatch(/^4 blob\(s\) in artifacts\/ were not checked, because the manifest could not be read: .*fraud-m92\.onnx/);
  });

  it('stops on cancel, rejects as cancelled and leaves no unpacked files behind', async () => {
    const dir = path.join(work, 'big');
    fs.cpSync(demoBundle, dir, { recursive: true });
    // A large sparse blob (no disk used) keeps the hashers busy long enough to cancel.
    fs.truncateSync(path.join(dir, 'artifacts/model/fraud-m92.onnx'), 8 * 1024 ** 3);
    const controller = new AbortController();
    let sawProgress = false;
    const verifying = verifyPath(
      dir,
      trust,
      { hashPool: pool },
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (!sawProgress && p.bytesDone > 0) {
            sawProgress = true;
            controller.abort();
          }
        },
      },
    );
    await expect(verifying).rejects.toBeInstanceOf(HashCancelledError);
    expect(sawProgress).toBe(true);
  });
});
