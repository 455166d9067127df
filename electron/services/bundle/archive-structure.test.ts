import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BundleError, CompressionRatioError, isCompressionRatioError } from './bundle-error';
import { COMPRESSION_RATIO_THRESHOLD_BYTES } from './compression-ratio';
import { freeSpaceMargin } from './free-space';
import type { StatFs } from './free-space';
import { DEFAULT_MAX_COMPRESSION_RATIO } from './limits';
import type { BundleLimits } from './limits';
import { openBundle, readBundleFile } from './open-bundle';
import type { OpenBundleOptions, OpenedBundle } from './open-bundle';
import { assembleZip, makeTar, makeZip, makeZipParts, unicodePathField } from './test-archives';

let work: string;
let tempRoot: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'countersign-archive-test-'));
  tempRoot = join(work, 'temp-root');
  await mkdir(tempRoot);
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const MODEL = 'artifacts/model/fraud-m92.onnx';
const MANIFEST = 'manifest.dsse.json';
const verifiedModel = Buffer.from(Array.from({ length: 5000 }, (_, index) => (index * 31) % 251));
const smuggledModel = Buffer.from('these are not the weights that were signed');

async function writeArchive(fileName: string, bytes: Buffer): Promise<string> {
  const path = join(work, fileName);
  await writeFile(path, bytes);
  return path;
}

async function open(path: string, options: Omit<OpenBundleOptions, 'tempRoot'> = {}): Promise<OpenedBundle> {
  return openBundle(path, { tempRoot, ...options });
}

/** Opens an archive that must be refused; checks the temp dir was removed. */
async function refusal(path: string, options: Omit<OpenBundleOptions, 'tempRoot'> = {}): Promise<BundleError> {
  const error: unknown = await open(path, options).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(BundleError);
  expect(await readdir(tempRoot)).toEqual([]);
  return error as BundleError;
}

async function expectRefusedEntry(path: string, entry: string, options: Omit<OpenBundleOptions, 'tempRoot'> = {}): Promise<BundleError> {
  const error = await refusal(path, options);
  expect(error.code).toBe('hostile-input');
  expect(error.entry).toBe(entry);
  expect(error.message).toContain(JSON.stringify(entry));
  return error;
}

/**
 * A 1 GiB file system that had `roomBytes` free above the margin before unpacking began, as
 * statfs would describe it: what the unpacking has written (measured on disk) is no longer free.
 * Each call records the bytes written so far.
 */
function smallDisk(roomBytes: number, calls: number[] = []): StatFs {
  const blockSize = 4096;
  const fileSystemBytes = 1024 ** 3;
  const freeBefore = freeSpaceMargin(fileSystemBytes) + roomBytes;
  return async () => {
    const written = await bytesUnder(tempRoot);
    calls.push(written);
    return { bsize: blockSize, blocks: fileSystemBytes / blockSize, bavail: Math.floor((freeBefore - written) / blockSize) };
  };
}

async function bytesUnder(directory: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(directory, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

function pythonAcceptsZip(path: string): boolean {
  const script = 'import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1]) as z:\n    sys.exit(0 if z.testzip() is None else 1)';
  try {
    execFileSync('python3', ['-c', script, path], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const hasPython = (() => {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('zip structure: what a streaming reader would unpack differently', () => {
  const parts = (): ReturnType<typeof makeZipParts> =>
    makeZipParts([
      { name: MANIFEST, content: '{}' },
      { name: MODEL, content: verifiedModel, method: 'deflated' },
    ]);

  it.skipIf(!hasPython)('refuses a second local entry for the model after the real one, unlisted in the central directory', async () => {
    const [smuggled] = makeZipParts([{ name: MODEL, content: smuggledModel }]);
    const zip = assembleZip(parts(), { body: [0, 1, smuggled?.local ?? Buffer.alloc(0)] });
    const path = await writeArchive('smuggle.zip', zip);
    // A central-directory reader finds nothing wrong: the fixture really is the audit's smuggle.
    expect(pythonAcceptsZip(path)).toBe(true);
    const error = await expectRefusedEntry(path, MODEL);
    expect(error.message).toContain('belong to no entry');
  });

  it('refuses a local header whose name differs from the central directory', async () => {
    const zip = makeZip([
      { name: MANIFEST, content: '{}' },
      { name: MODEL, localName: 'artifacts/model/other.onnx', content: verifiedModel },
    ]);
    const error = await expectRefusedEntry(await writeArchive('names.zip', zip), MODEL);
    expect(error.message).toContain('"artifacts/model/other.onnx"');
  });

  it('refuses a Unicode path field that renames an ASCII entry, and accepts one that agrees', async () => {
    const renamed = makeZip([{ name: 'artifacts/model/readme.txt', content: smuggledModel, extraFields: unicodePathField('artifacts/model/readme.txt', MODEL) }]);
    const error = await expectRefusedEntry(await writeArchive('unicode.zip', renamed), 'artifacts/model/readme.txt');
    expect(error.message).toContain(JSON.stringify(MODEL));
    const agreeing = makeZip([{ name: MODEL, content: verifiedModel, extraFields: unicodePathField(MODEL, MODEL) }]);
    const bundle = await open(await writeArchive('agreeing.zip', agreeing));
    expect([...bundle.entries.keys()]).toEqual([MODEL]);
    await bundle.close();
  });

  it('refuses a local header whose sizes or CRC differ from the central directory', async () => {
    const [manifest, model] = parts();
    if (manifest === undefined || model === undefined) throw new Error('no parts');
    const local = Buffer.from(model.local);
    local.writeUInt32LE(local.readUInt32LE(14) ^ 1, 14);
    const zip = assembleZip([manifest, { local, central: model.central }]);
    const error = await expectRefusedEntry(await writeArchive('crc.zip', zip), MODEL);
    expect(error.message).toContain('CRC-32');
  });

  it('refuses two central entries pointing at the same local data', async () => {
    const all = [...parts(), ...makeZipParts([{ name: 'artifacts/copy.onnx', content: verifiedModel, method: 'deflated' }])];
    const zip = assembleZip(all, { body: [0, 1], central: [{ part: 0, at: 0 }, { part: 1, at: 1 }, { part: 2, at: 1 }] });
    const error = await expectRefusedEntry(await writeArchive('overlap.zip', zip), 'artifacts/copy.onnx');
    expect(error.message).toContain('must not overlap');
  });

  it('refuses the 64-entry overlap bomb before writing anything', async () => {
    const zeros = makeZipParts(Array.from({ length: 64 }, (_, index) => ({ name: `z/${index}.bin`, content: Buffer.alloc(1024 * 1024), method: 'deflated' as const })));
    const zip = assembleZip(zeros, { body: [0], central: zeros.map((_, part) => ({ part, at: 0 })) });
    const calls: number[] = [];
    const error = await expectRefusedEntry(await writeArchive('bomb.zip', zip), 'z/1.bin', { statFs: smallDisk(1024 ** 3, calls), limits: { maxCompressionRatio: Infinity } });
    expect(error.message).toContain('must not overlap');
    expect(calls).toEqual([]);
  });

  it('refuses junk bytes between entries', async () => {
    const zip = assembleZip(parts(), { body: [0, Buffer.from('junk between entries'), 1] });
    const error = await expectRefusedEntry(await writeArchive('junk.zip', zip), MANIFEST);
    expect(error.message).toContain('20 bytes between its data and the next entry belong to no entry');
  });

  it('refuses data before the first entry: here, an unlisted entry a streaming reader would unpack first', async () => {
    const [smuggled] = makeZipParts([{ name: MODEL, content: smuggledModel }]);
    const zip = assembleZip(parts(), { body: [smuggled?.local ?? Buffer.alloc(0), 0, 1] });
    const error = await expectRefusedEntry(await writeArchive('prefix.zip', zip), MANIFEST);
    expect(error.message).toContain('bytes before the first entry belong to no entry');
  });

  it('refuses a central directory that does not end where the end record begins', async () => {
    const zip = assembleZip(parts(), { afterCentral: Buffer.from('PK\u0001\u0002 not a record') });
    const error = await refusal(await writeArchive('gap.zip', zip));
    expect(error.code).toBe('hostile-input');
    expect(error.message).toContain('central directory ends at byte');
  });

  it('refuses an end-of-central-directory signature hidden in the comment', async () => {
    const fakeEnd = Buffer.alloc(22);
    fakeEnd.writeUInt32LE(0x06054b50, 0);
    const inside = await refusal(await writeArchive('inside.zip', assembleZip(parts(), { comment: Buffer.concat([Buffer.from('note '), fakeEnd, Buffer.from(' more')]) })));
    expect(inside.code).toBe('hostile-input');
    expect(inside.message).toContain('hides in its comment');
    // At the very end it is the record readers take, and its empty directory does not describe the archive.
    const atEnd = await refusal(await writeArchive('at-end.zip', assembleZip(parts(), { comment: Buffer.concat([Buffer.from('note '), fakeEnd]) })));
    expect(atEnd.code).toBe('hostile-input');
  });

  it('accepts an ordinary comment', async () => {
    const bundle = await open(await writeArchive('comment.zip', assembleZip(parts(), { comment: Buffer.from('release 7') })));
    expect([...bundle.entries.keys()].sort()).toEqual([MODEL, MANIFEST]);
    await bundle.close();
  });

  it('refuses data appended after the end record', async () => {
    const error = await refusal(await writeArchive('appended.zip', Buffer.concat([makeZip([{ name: MANIFEST, content: '{}' }]), Buffer.from('appended')])));
    expect(error.code).toBe('unreadable');
    expect(error.message).toContain('appended.zip');
    expect(error.message).toContain('ending exactly at the end of the file');
  });

  it('refuses a deflate stream that ends before the entry does', async () => {
    const [smuggled] = makeZipParts([{ name: MODEL, content: smuggledModel }]);
    const zip = makeZip([{ name: MODEL, content: verifiedModel, method: 'deflated', trailingCompressed: smuggled?.local ?? Buffer.alloc(0) }]);
    const error = await expectRefusedEntry(await writeArchive('tail.zip', zip), MODEL);
    expect(error.message).toContain('deflate stream ends after');
  });
});

describe('tar structure', () => {
  it('refuses an entry hidden after the end-of-archive blocks', async () => {
    const first = await makeTar([{ name: MANIFEST, content: '{}' }]);
    const hidden = await makeTar([{ name: MODEL, content: smuggledModel }]);
    const error = await refusal(await writeArchive('hidden.tar', Buffer.concat([first, hidden])));
    expect(error.code).toBe('hostile-input');
    expect(error.message).toContain('after its end-of-archive blocks');
  });

  it('refuses trailing garbage after the end blocks, and accepts zero padding', async () => {
    const tar = await makeTar([{ name: MANIFEST, content: '{}' }]);
    const garbage = await refusal(await writeArchive('garbage.tar', Buffer.concat([tar, Buffer.alloc(1000), Buffer.from('garbage')])));
    expect(garbage.message).toContain('after its end-of-archive blocks');
    const padded = await open(await writeArchive('padded.tar', Buffer.concat([tar, Buffer.alloc(10240)])));
    expect([...padded.entries.keys()]).toEqual([MANIFEST]);
    await padded.close();
  });

  it('refuses a lone zero block followed by more entries', async () => {
    const first = await makeTar([{ name: MANIFEST, content: '{}' }]);
    const second = await makeTar([{ name: MODEL, content: smuggledModel }]);
    const loneZero = Buffer.concat([first.subarray(0, first.byteLength - 1024), Buffer.alloc(512), second]);
    const error = await refusal(await writeArchive('lone.tar', loneZero));
    expect(error.code).toBe('hostile-input');
    expect(error.message).toContain('lone zero block');
  });

  it('refuses a tar.gz with data after the gzip stream', async () => {
    const tgz = await makeTar([{ name: MANIFEST, content: '{}' }], { gzip: true });
    const error = await refusal(await writeArchive('tail.tgz', Buffer.concat([tgz, Buffer.from('trailing data')])));
    expect(error.code).toBe('hostile-input');
    expect(error.message).toContain('13 bytes follow its end');
  });

  it('refuses a tar.gz of two concatenated gzip members', async () => {
    const tar = await makeTar([{ name: MANIFEST, content: '{}' }]);
    const hidden = await makeTar([{ name: MODEL, content: smuggledModel }]);
    const error = await refusal(await writeArchive('two.tgz', Buffer.concat([gzipSync(tar), gzipSync(hidden)])));
    expect(error.code).toBe('hostile-input');
    expect(error.message).toContain('a second gzip member');
  });

  it('refuses a tar.gz whose gzip trailer does not match', async () => {
    const tgz = await makeTar([{ name: MANIFEST, content: '{}' }], { gzip: true });
    tgz.writeUInt32LE(tgz.readUInt32LE(tgz.byteLength - 8) ^ 1, tgz.byteLength - 8);
    const error = await refusal(await writeArchive('crc.tgz', tgz));
    expect(error.code).toBe('unreadable');
    expect(error.message).toContain('CRC-32');
  });

  it('refuses a tar that ends without its end-of-archive blocks', async () => {
    const tar = await makeTar([{ name: MANIFEST, content: '{}' }]);
    const error = await refusal(await writeArchive('cut.tar', tar.subarray(0, tar.byteLength - 1024)));
    expect(error.code).toBe('unreadable');
    expect(error.message).toContain('end-of-archive');
  });
});

describe('compression ratio', () => {
  const zeros = Buffer.alloc(64 * 1024 * 1024);

  it('refuses a zip entry whose declared sizes exceed the ratio, before writing', async () => {
    const zip = makeZip([{ name: 'artifacts/zeros.bin', content: zeros, method: 'deflated' }]);
    const calls: number[] = [];
    const error = await expectRefusedEntry(await writeArchive('bomb.zip', zip), 'artifacts/zeros.bin', { statFs: smallDisk(1024 ** 3, calls) });
    expect(isCompressionRatioError(error)).toBe(true);
    expect(error.subcode).toBe('compression-ratio');
    expect(error.message).toMatch(/expands \d+:1/);
    expect(error.message).toContain(`limit of ${DEFAULT_MAX_COMPRESSION_RATIO}:1`);
    expect(error.message).toContain('--max-ratio');
    expect((error as CompressionRatioError).limit).toBe(DEFAULT_MAX_COMPRESSION_RATIO);
    expect((error as CompressionRatioError).ratio).toBeGreaterThan(500);
    // Refused while planning: the free space was never even asked for, so nothing was written.
    expect(calls).toEqual([]);
  });

  it('stops a zip entry that lies about its size after little was written', async () => {
    const zip = makeZip([{ name: 'artifacts/zeros.bin', content: zeros, method: 'deflated', declaredSize: 2 * 1024 * 1024 }]);
    // 8 MiB of room: writing past it would end in the free-space error instead.
    const error = await expectRefusedEntry(await writeArchive('liar.zip', zip), 'artifacts/zeros.bin', { statFs: smallDisk(8 * 1024 * 1024) });
    expect(error.message).not.toContain('free space');
  });

  it('refuses a tar.gz of zeros early, after little was written', async () => {
    const tgz = await makeTar([{ name: 'zeros.bin', content: zeros }], { gzip: true });
    expect(tgz.byteLength).toBeLessThan(zeros.byteLength / 500);
    const error = await expectRefusedEntry(await writeArchive('zeros.tgz', tgz), 'zeros.bin', { statFs: smallDisk(16 * 1024 * 1024) });
    expect(isCompressionRatioError(error)).toBe(true);
    const { unpackedBytes } = error as CompressionRatioError;
    expect(unpackedBytes).toBeGreaterThan(COMPRESSION_RATIO_THRESHOLD_BYTES);
    expect(unpackedBytes).toBeLessThan(zeros.byteLength / 4);
  });

  it('opens the same kind of archive when the person raises the limit', async () => {
    const content = Buffer.alloc(8 * 1024 * 1024);
    const tgz = await makeTar([{ name: 'zeros.bin', content }], { gzip: true });
    const zip = makeZip([{ name: 'zeros.bin', content, method: 'deflated' }]);
    for (const [name, bytes] of [['zeros.tgz', tgz], ['zeros.zip', zip]] as const) {
      const path = await writeArchive(name, bytes);
      expect(isCompressionRatioError(await refusal(path))).toBe(true);
      const bundle = await open(path, { limits: { maxCompressionRatio: 2000 } });
      expect(bundle.entries.get('zeros.bin')?.size).toBe(content.byteLength);
      await bundle.close();
    }
  });

  it('leaves small, very compressible files alone', async () => {
    const small = Buffer.alloc(COMPRESSION_RATIO_THRESHOLD_BYTES);
    const bundle = await open(await writeArchive('small.zip', makeZip([{ name: 'pad.bin', content: small, method: 'deflated' }])));
    expect(bundle.entries.get('pad.bin')?.size).toBe(small.byteLength);
    await bundle.close();
  });

  it('refuses a limit below 1', async () => {
    const path = await writeArchive('a.zip', makeZip([{ name: MANIFEST, content: '{}' }]));
    await expect(open(path, { limits: { maxCompressionRatio: 0.5 } as Partial<BundleLimits> })).rejects.toThrow(RangeError);
  });
});

describe('free space', () => {
  const incompressible = randomBytes(3 * 1024 * 1024);

  it('refuses a zip whose declared sizes do not fit, before writing', async () => {
    const calls: number[] = [];
    const zip = makeZip([{ name: MANIFEST, content: '{}' }, { name: 'artifacts/model.bin', content: incompressible }]);
    const error = await refusal(await writeArchive('big.zip', zip), { statFs: smallDisk(1024 * 1024, calls) });
    expect(error.code).toBe('unreadable');
    expect(error.message).toContain('Not enough free space');
    expect(calls).toEqual([0]);
  });

  it('stops a tar.gz as bytes arrive, before the room runs out', async () => {
    const calls: number[] = [];
    const tgz = await makeTar([{ name: MANIFEST, content: '{}' }, { name: 'artifacts/model.bin', content: incompressible }], { gzip: true });
    const error = await refusal(await writeArchive('big.tgz', tgz), { statFs: smallDisk(1024 * 1024, calls) });
    expect(error.entry).toBe('artifacts/model.bin');
    expect(error.message).toContain('Not enough free space');
    expect(Math.max(...calls)).toBeLessThanOrEqual(1024 * 1024);
  });

  it('opens the same archives when there is room', async () => {
    const tgz = await makeTar([{ name: 'artifacts/model.bin', content: incompressible }], { gzip: true });
    const bundle = await open(await writeArchive('fits.tgz', tgz), { statFs: smallDisk(8 * 1024 * 1024) });
    expect(bundle.entries.get('artifacts/model.bin')?.size).toBe(incompressible.byteLength);
    await bundle.close();
  });
});

describe('archives made by real tools still open', () => {
  const files: Record<string, Buffer> = {
    [MANIFEST]: Buffer.from('{"payloadType":"application/vnd.in-toto+json"}'),
    [MODEL]: Buffer.concat([randomBytes(300_000), Buffer.alloc(200_000)]),
    'approvals/alice.dsse.json': Buffer.from('{}'),
  };

  async function writeBundleDirectory(): Promise<string> {
    const directory = join(work, 'bundle');
    for (const [relPath, content] of Object.entries(files)) {
      await mkdir(dirname(join(directory, relPath)), { recursive: true });
      await writeFile(join(directory, relPath), content);
    }
    return directory;
  }

  async function expectSameFiles(path: string): Promise<void> {
    const bundle = await open(path);
    try {
      expect([...bundle.entries.keys()].sort()).toEqual(Object.keys(files).sort());
      for (const [relPath, content] of Object.entries(files)) {
        expect(Buffer.from(await readBundleFile(bundle, relPath, 1024 * 1024)).equals(content)).toBe(true);
      }
    } finally {
      await bundle.close();
    }
  }

  const has = (command: string): boolean => {
    try {
      execFileSync(command, ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };

  it.skipIf(!hasPython)('a zip made by python3 -m zipfile -c', async () => {
    await writeBundleDirectory();
    execFileSync('python3', ['-m', 'zipfile', '-c', 'py.zip', 'bundle/'], { cwd: work });
    await expectSameFiles(join(work, 'py.zip'));
  });

  it.skipIf(!hasPython)('a zip Python streamed to a pipe, with data descriptors and ZIP64 fields', async () => {
    const directory = await writeBundleDirectory();
    const script = [
      'import io, os, sys, zipfile',
      'class Pipe(io.RawIOBase):',
      '    def writable(self): return True',
      '    def write(self, b): return sys.stdout.buffer.write(b)',
      'with zipfile.ZipFile(Pipe(), "w", zipfile.ZIP_DEFLATED) as z:',
      '    for root, _, names in sorted(os.walk(sys.argv[1])):',
      '        for name in sorted(names):',
      '            path = os.path.join(root, name)',
      '            with open(path, "rb") as f, z.open(os.path.relpath(path, sys.argv[1]), "w", force_zip64=True) as w:',
      '                w.write(f.read())',
    ].join('\n');
    const zip = execFileSync('python3', ['-c', script, directory], { maxBuffer: 16 * 1024 * 1024 });
    expect(zip.readUInt16LE(6) & 0x0008).toBe(0x0008);
    await expectSameFiles(await writeArchive('streamed.zip', zip));
  });

  /** Python's zipfile with its ZIP64 thresholds lowered: ZIP64 end record, locator and central ZIP64 fields, as for a huge bundle. */
  async function forcedZip64(): Promise<Buffer> {
    const directory = await writeBundleDirectory();
    const script = [
      'import os, sys, zipfile',
      'zipfile.ZIP_FILECOUNT_LIMIT = 1',
      'zipfile.ZIP64_LIMIT = 100',
      'with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:',
      '    for root, _, names in sorted(os.walk(sys.argv[1])):',
      '        for name in sorted(names):',
      '            path = os.path.join(root, name)',
      '            z.write(path, os.path.relpath(path, sys.argv[1]))',
    ].join('\n');
    execFileSync('python3', ['-c', script, directory, join(work, 'zip64.zip')]);
    return readFile(join(work, 'zip64.zip'));
  }

  it.skipIf(!hasPython)('a ZIP64 zip (end record, locator, ZIP64 sizes and offsets) made by Python', async () => {
    const zip = await forcedZip64();
    expect(zip.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true);
    await expectSameFiles(join(work, 'zip64.zip'));
  });

  it.skipIf(!hasPython)('but not one whose end record and ZIP64 end record disagree', async () => {
    const zip = await forcedZip64();
    const endRecord = zip.byteLength - 22;
    zip.writeUInt32LE(zip.readUInt32LE(endRecord + 16) + 1, endRecord + 16);
    const error = await refusal(await writeArchive('disagree.zip', zip));
    expect(error.code).toBe('hostile-input');
    expect(error.message).toContain('disagree');
  });

  it.skipIf(!has('zip'))('a zip made by Info-ZIP zip, from a file and to a pipe', async () => {
    const directory = await writeBundleDirectory();
    execFileSync('zip', ['-q', '-r', join(work, 'info.zip'), '.'], { cwd: directory });
    await expectSameFiles(join(work, 'info.zip'));
    const piped = execFileSync('sh', ['-c', 'zip -q -r - . | cat'], { cwd: directory, maxBuffer: 16 * 1024 * 1024 });
    await expectSameFiles(await writeArchive('piped.zip', piped));
  });

  it.skipIf(!has('tar'))('a tar and a tar.gz made by tar, in ustar, pax and GNU formats', async () => {
    await writeBundleDirectory();
    execFileSync('tar', ['cf', 'plain.tar', 'bundle'], { cwd: work });
    execFileSync('tar', ['czf', 'bundle.tar.gz', 'bundle'], { cwd: work });
    execFileSync('tar', ['--format=pax', '-czf', 'pax.tgz', '-C', 'bundle', '.'], { cwd: work });
    execFileSync('tar', ['--format=gnu', '-cf', 'gnu.tar', 'bundle'], { cwd: work });
    for (const name of ['plain.tar', 'bundle.tar.gz', 'pax.tgz', 'gnu.tar']) await expectSameFiles(join(work, name));
  });

  it('a zip written with Node zlib by the test writer', async () => {
    const zip = makeZip(Object.entries(files).map(([name, content]) => ({ name, content, method: 'deflated' as const })));
    await expectSameFiles(await writeArchive('node.zip', zip));
  });
});
