import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BundleError } from './bundle-error';
import type { BundleLimits } from './limits';
import { openBundle, readBundleFile } from './open-bundle';
import type { OpenedBundle } from './open-bundle';
import { makeGnuLongNameTar, makeTar, makeZip, UNIX_DIRECTORY, UNIX_FIFO, UNIX_SYMLINK } from './test-archives';
import type { TarEntrySpec, ZipEntrySpec } from './test-archives';

let work: string;
let tempRoot: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'countersign-bundle-test-'));
  tempRoot = join(work, 'temp-root');
  await mkdir(tempRoot);
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const model = Buffer.from(Array.from({ length: 10_000 }, (_, index) => (index * 7919) % 256));

/** A small, well-formed bundle: relPath -> content. */
const GOOD_FILES: Record<string, string | Buffer> = {
  'manifest.dsse.json': '{"payloadType":"application/vnd.in-toto+json"}',
  'approvals/alice.dsse.json': '{"payload":"YWxpY2U="}',
  'lineage.json': '{"nodes":[],"edges":[]}',
  'artifacts/model/fraud-m92.onnx': model,
  'artifacts/empty.bin': '',
  'keys/alice.pub': 'ed25519 key',
};

function expectedEntries(): [string, number][] {
  return Object.entries(GOOD_FILES)
    .map(([relPath, content]): [string, number] => [relPath, Buffer.byteLength(content)])
    .sort(([a], [b]) => a.localeCompare(b));
}

function listing(bundle: OpenedBundle): [string, number][] {
  return [...bundle.entries.values()].map((entry): [string, number] => [entry.relPath, entry.size]).sort(([a], [b]) => a.localeCompare(b));
}

function tarEntries(prefix = ''): TarEntrySpec[] {
  const directories = new Set<string>();
  for (const relPath of Object.keys(GOOD_FILES)) {
    const parts = `${prefix}${relPath}`.split('/');
    for (let depth = 1; depth < parts.length; depth += 1) directories.add(parts.slice(0, depth).join('/'));
  }
  return [
    ...[...directories].sort().map((name): TarEntrySpec => ({ name, type: 'directory' })),
    ...Object.entries(GOOD_FILES).map(([relPath, content]): TarEntrySpec => ({ name: `${prefix}${relPath}`, content })),
  ];
}

function zipEntries(prefix = ''): ZipEntrySpec[] {
  const wrapper: ZipEntrySpec[] = prefix === '' ? [] : [{ name: prefix, externalAttributes: UNIX_DIRECTORY << 16 }];
  return [
    ...wrapper,
    ...Object.entries(GOOD_FILES).map(([relPath, content], index): ZipEntrySpec => ({
      name: `${prefix}${relPath}`,
      content,
      method: index % 2 === 0 ? 'deflated' : 'stored',
    })),
  ];
}

async function writeDirectoryBundle(directory: string): Promise<void> {
  for (const [relPath, content] of Object.entries(GOOD_FILES)) {
    await mkdir(dirname(join(directory, relPath)), { recursive: true });
    await writeFile(join(directory, relPath), content);
  }
}

async function writeArchive(fileName: string, bytes: Buffer): Promise<string> {
  const path = join(work, fileName);
  await writeFile(path, bytes);
  return path;
}

async function open(path: string, limits: Partial<BundleLimits> = {}): Promise<OpenedBundle> {
  return openBundle(path, { tempRoot, limits });
}

/** Opens a bundle that must be refused; returns the error after checking nothing was left behind. */
async function refusal(path: string, limits: Partial<BundleLimits> = {}): Promise<BundleError> {
  const error: unknown = await open(path, limits).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(BundleError);
  expect(await readdir(tempRoot)).toEqual([]);
  return error as BundleError;
}

async function expectRefusedEntry(path: string, entry: string, limits: Partial<BundleLimits> = {}): Promise<BundleError> {
  const error = await refusal(path, limits);
  expect(error.code).toBe('hostile-input');
  expect(error.entry).toBe(entry);
  expect(error.message).toContain(JSON.stringify(entry));
  return error;
}

describe('openBundle: well-formed bundles', () => {
  const variants: [string, () => Promise<string>][] = [
    ['a directory', async () => {
      const directory = join(work, 'bundle');
      await writeDirectoryBundle(directory);
      return directory;
    }],
    ['a tar at the root', async () => writeArchive('bundle.tar', await makeTar(tarEntries()))],
    ['a tar wrapped in one folder', async () => writeArchive('bundle.tar', await makeTar(tarEntries('release-7/')))],
    ['a tar.gz at the root', async () => writeArchive('bundle.tar.gz', await makeTar(tarEntries(), { gzip: true }))],
    ['a .tgz written as tar -C dir .', async () => writeArchive('bundle.tgz', await makeTar([{ name: './', type: 'directory' }, ...tarEntries('./')], { gzip: true }))],
    ['a zip at the root', async () => writeArchive('bundle.zip', makeZip(zipEntries()))],
    ['a zip wrapped in one folder', async () => writeArchive('bundle.zip', makeZip(zipEntries('release-7/')))],
  ];

  it.each(variants)('%s gives the same files, sizes and contents', async (_label, make) => {
    const bundle = await open(await make());
    try {
      expect(listing(bundle)).toEqual(expectedEntries());
      for (const [relPath, content] of Object.entries(GOOD_FILES)) {
        const bytes = await readBundleFile(bundle, relPath, 1024 * 1024);
        expect(Buffer.from(bytes).equals(Buffer.from(content))).toBe(true);
        const entry = bundle.entries.get(relPath);
        expect(entry?.absPath.startsWith(bundle.root)).toBe(true);
        expect(Buffer.from(await readFile(entry?.absPath ?? '')).equals(Buffer.from(content))).toBe(true);
      }
    } finally {
      await bundle.close();
    }
    expect(await readdir(tempRoot)).toEqual([]);
  });

  it('reports the format it found', async () => {
    const tar = await open(await writeArchive('b.tar', await makeTar(tarEntries())));
    const gz = await open(await writeArchive('b.tgz', await makeTar(tarEntries(), { gzip: true })));
    const zip = await open(await writeArchive('b.zip', makeZip(zipEntries())));
    expect([tar.format, gz.format, zip.format]).toEqual(['tar', 'tar.gz', 'zip']);
    await Promise.all([tar.close(), gz.close(), zip.close()]);
  });

  it('unpacks into a private directory under tempRoot and removes it on close, once', async () => {
    const bundle = await open(await writeArchive('b.zip', makeZip(zipEntries('wrapped/'))));
    const [made] = await readdir(tempRoot);
    expect(made).toBeDefined();
    expect(bundle.root).toBe(join(tempRoot, made ?? '', 'wrapped'));
    await bundle.close();
    await bundle.close();
    expect(await readdir(tempRoot)).toEqual([]);
  });

  it('leaves a directory bundle in place and copies nothing', async () => {
    const directory = join(work, 'bundle');
    await writeDirectoryBundle(directory);
    const bundle = await open(directory);
    expect(bundle.format).toBe('directory');
    expect(bundle.root).toBe(directory);
    expect(bundle.entries.get('keys/alice.pub')?.absPath).toBe(join(directory, 'keys', 'alice.pub'));
    await bundle.close();
    expect(await readdir(tempRoot)).toEqual([]);
    expect(await readFile(join(directory, 'keys', 'alice.pub'), 'utf8')).toBe('ed25519 key');
  });

  it('strips a single top-level folder only when the manifest is inside it', async () => {
    const noManifest = await open(await writeArchive('a.tar', await makeTar([{ name: 'docs/readme.txt', content: 'hi' }])));
    expect([...noManifest.entries.keys()]).toEqual(['docs/readme.txt']);
    const twoFolders = await open(
      await writeArchive('b.tar', await makeTar([{ name: 'one/manifest.dsse.json', content: '{}' }, { name: 'two/', type: 'directory' }])),
    );
    expect([...twoFolders.entries.keys()]).toEqual(['one/manifest.dsse.json']);
    await Promise.all([noManifest.close(), twoFolders.close()]);
  });

  it('reports names in Unicode NFC whatever form the archive stored', async () => {
    const decomposed = 'artifacts/cafe\u0301.csv';
    const bundle = await open(await writeArchive('b.zip', makeZip([{ name: decomposed, content: 'x' }])));
    expect([...bundle.entries.keys()]).toEqual(['artifacts/caf\u00e9.csv']);
    expect(await readBundleFile(bundle, 'artifacts/caf\u00e9.csv', 10)).toEqual(new Uint8Array([0x78]));
    await bundle.close();
  });

  it('reads names longer than a ustar header holds, from PAX and from GNU long-name records', async () => {
    const longName = `artifacts/${'a'.repeat(120)}/${'b'.repeat(120)}/${'c'.repeat(60)}.bin`;
    const pax = await open(await writeArchive('pax.tar', await makeTar([{ name: longName, content: 'pax' }])));
    expect([...pax.entries.keys()]).toEqual([longName]);
    const gnu = await open(await writeArchive('gnu.tar', makeGnuLongNameTar(longName, 'gnu')));
    expect([...gnu.entries.keys()]).toEqual([longName]);
    expect(Buffer.from(await readBundleFile(gnu, longName, 10)).toString()).toBe('gnu');
    await Promise.all([pax.close(), gnu.close()]);
  });

  it('accepts an empty zip as an empty bundle', async () => {
    const bundle = await open(await writeArchive('empty.zip', makeZip([])));
    expect(bundle.entries.size).toBe(0);
    await bundle.close();
  });
});

describe('openBundle: not a bundle', () => {
  it('says a missing path is not found', async () => {
    const error = await refusal(join(work, 'nowhere.tar'));
    expect(error.code).toBe('not-found');
  });

  it('refuses a file that is no archive', async () => {
    const error = await refusal(await writeArchive('notes.txt', Buffer.from('hello')));
    expect(error.code).toBe('unreadable');
    expect(error.message).toContain('not a bundle: expected a directory or a .tar, .tar.gz, .tgz, .zip or .csbundle archive');
  });

  it('refuses an archive without a bundle extension', async () => {
    const error = await refusal(await writeArchive('model.pt', makeZip([{ name: 'data.pkl', content: 'x' }])));
    expect(error.code).toBe('unreadable');
    expect(error.message).toContain('not a bundle');
  });

  it('says so when the extension and the contents disagree', async () => {
    const error = await refusal(await writeArchive('bundle.tar.gz', makeZip(zipEntries())));
    expect(error.code).toBe('unreadable');
    expect(error.message).toContain('extension says a gzip-compressed archive but the contents are a zip archive');
  });

  it('refuses a gzip file that does not hold a tar archive', async () => {
    const { gzipSync } = await import('node:zlib');
    const error = await refusal(await writeArchive('bundle.tgz', gzipSync(Buffer.alloc(4096, 0x41))));
    expect(error.code).toBe('unreadable');
    expect(error.message).toContain('bundle.tgz');
  });

  it('refuses a truncated zip', async () => {
    const zip = makeZip(zipEntries());
    const error = await refusal(await writeArchive('cut.zip', zip.subarray(0, zip.byteLength - 30)));
    expect(error.code).toBe('unreadable');
  });
});

/** Hostile names, each refused in tar and in zip with the entry named. */
const HOSTILE_NAMES: [string, string][] = [
  ['an absolute path', '/etc/passwd'],
  ['a Windows drive path', 'C:\\Windows\\evil.dll'],
  ['a UNC path', '\\\\server\\share\\evil.txt'],
  ['a ".." segment', '../evil.txt'],
  ['a ".." segment further in', 'artifacts/../../evil.txt'],
  ['a backslash', 'artifacts\\evil.txt'],
  ['a control character', 'artifacts/bell\u0007.txt'],
  ['an empty segment', 'artifacts//evil.txt'],
  ['a nested zip', 'artifacts/inner.zip'],
  ['a nested tar', 'artifacts/inner.tar'],
  ['a nested tar.gz', 'artifacts/inner.TAR.GZ'],
  ['a nested tgz', 'inner.tgz'],
];

describe('openBundle: hostile names', () => {
  it.each(HOSTILE_NAMES)('refuses %s in a tar', async (_label, name) => {
    await expectRefusedEntry(await writeArchive('h.tar', await makeTar([{ name: 'manifest.dsse.json', content: '{}' }, { name, content: 'x' }])), name);
  });

  it.each(HOSTILE_NAMES)('refuses %s in a tar.gz', async (_label, name) => {
    await expectRefusedEntry(await writeArchive('h.tar.gz', await makeTar([{ name, content: 'x' }], { gzip: true })), name);
  });

  it.each(HOSTILE_NAMES)('refuses %s in a zip', async (_label, name) => {
    await expectRefusedEntry(await writeArchive('h.zip', makeZip([{ name: 'manifest.dsse.json', content: '{}' }, { name, content: 'x' }])), name);
  });

  it('refuses a NUL in a zip name', async () => {
    await expectRefusedEntry(await writeArchive('nul.zip', makeZip([{ name: Buffer.from('evil\0.txt'), content: 'x' }])), 'evil\0.txt');
  });

  it('checks a PAX path record, not the ustar name it overrides', async () => {
    const tar = await makeTar([{ name: 'innocent.txt', content: 'x', pax: { path: '../evil.txt' } }]);
    await expectRefusedEntry(await writeArchive('pax.tar', tar), '../evil.txt');
  });

  it('checks a GNU long name', async () => {
    const longName = `../${'x'.repeat(150)}.txt`;
    await expectRefusedEntry(await writeArchive('gnu.tar', makeGnuLongNameTar(longName, 'x')), longName);
  });
});

describe('openBundle: links and special entries', () => {
  const tarCases: [string, TarEntrySpec][] = [
    ['a symbolic link', { name: 'artifacts/link', type: 'symlink', linkname: '/etc/passwd' }],
    ['a hard link', { name: 'artifacts/hard', type: 'link', linkname: 'manifest.dsse.json' }],
    ['a character device', { name: 'dev/null', type: 'character-device' }],
    ['a block device', { name: 'dev/sda', type: 'block-device' }],
    ['a FIFO', { name: 'pipe', type: 'fifo' }],
  ];

  it.each(tarCases)('refuses %s in a tar', async (_label, spec) => {
    const tar = await makeTar([{ name: 'manifest.dsse.json', content: '{}' }, spec]);
    await expectRefusedEntry(await writeArchive('s.tar', tar), spec.name);
  });

  it('refuses a zip entry whose attributes say symbolic link', async () => {
    const zip = makeZip([{ name: 'artifacts/link', content: '/etc/passwd', externalAttributes: UNIX_SYMLINK << 16 }]);
    const error = await expectRefusedEntry(await writeArchive('l.zip', zip), 'artifacts/link');
    expect(error.message).toContain('symbolic link');
  });

  it('refuses a zip entry whose attributes say FIFO', async () => {
    const zip = makeZip([{ name: 'pipe', externalAttributes: UNIX_FIFO << 16 }]);
    await expectRefusedEntry(await writeArchive('f.zip', zip), 'pipe');
  });

  it('refuses an encrypted zip entry', async () => {
    const zip = makeZip([{ name: 'secret.bin', content: 'x', flags: 0x0801 }]);
    const error = await refusal(await writeArchive('e.zip', zip));
    expect(error.code).toBe('unreadable');
    expect(error.entry).toBe('secret.bin');
    expect(error.message).toContain('encrypted');
  });

  it('refuses a zip compression method it cannot read', async () => {
    const zip = makeZip([{ name: 'model.bin', content: 'x', compressionMethod: 12 }]);
    const error = await refusal(await writeArchive('m.zip', zip));
    expect(error.code).toBe('unreadable');
    expect(error.message).toContain('compression method 12 (bzip2)');
  });

  it('refuses a zip entry whose checksum does not match', async () => {
    const zip = makeZip([{ name: 'model.bin', content: 'hello', crc32: 1234 }]);
    const error = await refusal(await writeArchive('c.zip', zip));
    expect(error.code).toBe('unreadable');
    expect(error.message).toContain('damaged');
  });
});

describe('openBundle: duplicates and twins', () => {
  const cases: [string, string, string][] = [
    ['the same name twice', 'a.txt', 'a.txt'],
    ['NFC and NFD twins', 'caf\u00e9.txt', 'cafe\u0301.txt'],
    ['case-fold twins', 'A.txt', 'a.txt'],
    ['case-fold twin folders', 'Approvals/x.dsse.json', 'approvals/y.dsse.json'],
    ['a name used as file and folder', 'artifacts/model', 'artifacts/model/m.onnx'],
  ];

  it.each(cases)('refuses %s in a tar', async (_label, first, second) => {
    const tar = await makeTar([{ name: first, content: '1' }, { name: second, content: '2' }]);
    await expectRefusedEntry(await writeArchive('d.tar', tar), second);
  });

  it.each(cases)('refuses %s in a zip', async (_label, first, second) => {
    const zip = makeZip([{ name: first, content: '1' }, { name: second, content: '2' }]);
    await expectRefusedEntry(await writeArchive('d.zip', zip), second);
  });

  it('accepts the same folder listed more than once', async () => {
    const tar = await makeTar([{ name: 'keys', type: 'directory' }, { name: 'keys', type: 'directory' }, { name: 'keys/a.pub', content: 'k' }]);
    const bundle = await open(await writeArchive('k.tar', tar));
    expect([...bundle.entries.keys()]).toEqual(['keys/a.pub']);
    await bundle.close();
  });
});

describe('openBundle: caps', () => {
  it('refuses more entries than maxEntries', async () => {
    const tar = await makeTar(['a', 'b', 'c', 'd'].map((name) => ({ name, content: name })));
    const error = await expectRefusedEntry(await writeArchive('n.tar', tar), 'd', { maxEntries: 3 });
    expect(error.message).toContain('cap of 3 entries');
  });

  it('refuses a zip whose directory lists more entries than maxEntries', async () => {
    const zip = makeZip(['a', 'b', 'c', 'd'].map((name) => ({ name, content: name })));
    const error = await refusal(await writeArchive('n.zip', zip), { maxEntries: 3 });
    expect(error.code).toBe('hostile-input');
    expect(error.message).toContain('cap of 3');
  });

  it('refuses more unpacked bytes than maxTotalBytes', async () => {
    const tar = await makeTar([{ name: 'a.bin', content: Buffer.alloc(600) }, { name: 'b.bin', content: Buffer.alloc(600) }]);
    const error = await expectRefusedEntry(await writeArchive('t.tar', tar), 'b.bin', { maxTotalBytes: 1000 });
    expect(error.message).toContain('cap of 1000 bytes');
  });

  it('refuses a path longer than maxPathBytes', async () => {
    const name = 'artifacts/a-rather-long-name.bin';
    const error = await expectRefusedEntry(await writeArchive('p.zip', makeZip([{ name, content: 'x' }])), name, { maxPathBytes: 20 });
    expect(error.message).toContain('20 bytes');
  });

  it('refuses a path deeper than maxDepth', async () => {
    const name = 'a/b/c/d.txt';
    const error = await expectRefusedEntry(await writeArchive('d.tar', await makeTar([{ name, content: 'x' }])), name, { maxDepth: 3 });
    expect(error.message).toContain('cap of 3');
  });

  it('stops a zip bomb at the cap', async () => {
    const zip = makeZip([{ name: 'artifacts/zeros.bin', content: Buffer.alloc(64 * 1024 * 1024), method: 'deflated' }]);
    expect(zip.byteLength).toBeLessThan(1024 * 1024);
    const error = await expectRefusedEntry(await writeArchive('bomb.zip', zip), 'artifacts/zeros.bin', { maxTotalBytes: 1024 * 1024 });
    expect(error.message).toContain(`cap of ${1024 * 1024} bytes`);
  });

  it('stops a zip entry that unpacks to more than it declares', async () => {
    const zip = makeZip([{ name: 'small.bin', content: Buffer.alloc(1024 * 1024), method: 'deflated', declaredSize: 100 }]);
    const error = await expectRefusedEntry(await writeArchive('liar.zip', zip), 'small.bin');
    expect(error.message).toContain('more than the 100 bytes the archive declares');
  });

  it('stops a tar.gz bomb at the cap', async () => {
    const tgz = await makeTar([{ name: 'zeros.bin', content: Buffer.alloc(32 * 1024 * 1024) }], { gzip: true });
    await expectRefusedEntry(await writeArchive('bomb.tgz', tgz), 'zeros.bin', { maxTotalBytes: 1024 * 1024 });
  });

  it('stops a gzip stream of empty tar blocks that creates no entry', async () => {
    const { gzipSync } = await import('node:zlib');
    const blocks = Buffer.alloc(32 * 1024 * 1024);
    Buffer.from(await makeTar([{ name: 'a.txt', content: 'a' }])).copy(blocks, 0, 0, 1024);
    const error = await refusal(await writeArchive('zeros.tar.gz', gzipSync(blocks)), { maxTotalBytes: 1024, maxEntries: 4 });
    expect(error.code).toBe('hostile-input');
    expect(error.message).toContain('unpacks to more than');
  });
});

describe('openBundle: directory bundles', () => {
  async function directoryWith(extra: (directory: string) => Promise<void>): Promise<string> {
    const directory = join(work, 'bundle');
    await writeDirectoryBundle(directory);
    await extra(directory);
    return directory;
  }

  it('refuses a symbolic link anywhere inside', async () => {
    const directory = await directoryWith((d) => symlink('/etc/passwd', join(d, 'artifacts', 'model', 'passwd')));
    const error = await expectRefusedEntry(directory, 'artifacts/model/passwd');
    expect(error.message).toContain('symbolic link');
  });

  it('refuses a symbolic link to a folder', async () => {
    const directory = await directoryWith((d) => symlink(join(d, 'keys'), join(d, 'more-keys')));
    await expectRefusedEntry(directory, 'more-keys');
  });

  it.skipIf(process.platform === 'win32')('refuses a FIFO', async () => {
    const directory = await directoryWith(async (d) => {
      execFileSync('mkfifo', [join(d, 'pipe')]);
    });
    await expectRefusedEntry(directory, 'pipe');
  });

  it('refuses a nested archive', async () => {
    const directory = await directoryWith((d) => writeFile(join(d, 'artifacts', 'inner.zip'), 'PK'));
    await expectRefusedEntry(directory, 'artifacts/inner.zip');
  });

  it.skipIf(process.platform !== 'linux')('refuses case-fold twins that a case-sensitive disk allows', async () => {
    const directory = await directoryWith((d) => writeFile(join(d, 'Lineage.json'), '{}'));
    await expectRefusedEntry(directory, 'lineage.json');
  });

  it('applies the caps', async () => {
    const directory = join(work, 'bundle');
    await writeDirectoryBundle(directory);
    expect((await refusal(directory, { maxEntries: 3 })).code).toBe('hostile-input');
    expect((await refusal(directory, { maxTotalBytes: 100 })).message).toContain('cap of 100 bytes');
    expect((await refusal(directory, { maxDepth: 2 })).entry).toBe('artifacts/model/fraud-m92.onnx');
  });
});

describe('openBundle: cancelling', () => {
  it('rejects with AbortError before doing anything when already cancelled', async () => {
    const path = await writeArchive('b.zip', makeZip(zipEntries()));
    const controller = new AbortController();
    controller.abort();
    await expect(openBundle(path, { tempRoot, signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(await readdir(tempRoot)).toEqual([]);
  });

  it('stops unpacking when cancelled and removes what it wrote', async () => {
    const many = Array.from({ length: 3000 }, (_, index): TarEntrySpec => ({ name: `artifacts/f${index}.bin`, content: 'x' }));
    const path = await writeArchive('many.tgz', await makeTar(many, { gzip: true }));
    const controller = new AbortController();
    const opening = openBundle(path, { tempRoot, signal: controller.signal });
    const outcome = opening.then(() => 'opened', (error: unknown) => error);
    while ((await readdir(tempRoot)).length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    expect(await outcome).toMatchObject({ name: 'AbortError' });
    expect(await readdir(tempRoot)).toEqual([]);
  });
});

describe('readBundleFile', () => {
  it('refuses a file over the cap, naming the file and the cap', async () => {
    const bundle = await open(await writeArchive('b.tar', await makeTar(tarEntries())));
    const error: unknown = await readBundleFile(bundle, 'artifacts/model/fraud-m92.onnx', 4096).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(BundleError);
    expect((error as BundleError).message).toContain('artifacts/model/fraud-m92.onnx');
    expect((error as BundleError).message).toContain('4096-byte cap');
    await bundle.close();
  });

  it('says a file not in the bundle is not found', async () => {
    const bundle = await open(await writeArchive('b.tar', await makeTar(tarEntries())));
    await expect(readBundleFile(bundle, 'deployment.json', 1024)).rejects.toMatchObject({ code: 'not-found', entry: 'deployment.json' });
    await bundle.close();
  });
});
