import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateSeed, publicKeyFromSeed, signEd25519 } from '../../../shared/crypto/ed25519';
import { keyIdOf, toOpenSshLine } from '../../../shared/crypto/keys';
import { readEnvelope } from '../../../shared/crypto/dsse';
import { parseStrictJson } from '../../../shared/json/strict-json';
import { openBundle } from '../bundle/open-bundle';
import { createHashPool, HashCancelledError, type HashPool } from '../hashing/hash-files';
import { createRelease, mergeContributions } from './create-release';
import type { ManifestSigner } from './manifest-signer';
import { writeZip } from './write-zip';
import { writeTarGz } from './write-tar-gz';
import { emptyContribution } from './sources/contribution';

let work: string;
let pool: HashPool;
const seed = generateSeed();
const publicKey = publicKeyFromSeed(seed);
const signer: ManifestSigner = { keyId: keyIdOf(publicKey), sign: async (message) => signEd25519(message, seed) };
const offeredKey = { line: toOpenSshLine(publicKey, 'test'), fileName: 'release-signer.pub' };

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'create-release-test-'));
  pool = createHashPool({ workers: 2 });
});
afterAll(async () => {
  await pool.close();
  fs.rmSync(work, { recursive: true, force: true });
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('the archive writers', () => {
  it('write zips and tar.gz archives that the strict bundle reader opens, empty files and non-ASCII names included', async () => {
    const blob = path.join(work, 'blob.bin');
    const blobBytes = randomBytes(3 * 1024 * 1024 + 17);
    fs.writeFileSync(blob, blobBytes);
    const entries = [
      { name: 'manifest.dsse.json', source: { bytes: new TextEncoder().encode('{}\n') } },
      { name: 'artifacts/empty.csv', source: { bytes: new Uint8Array(0) } },
      { name: 'artifacts/données/modèle.onnx', source: { file: blob, size: blobBytes.length } },
    ];
    for (const name of ['entries.zip', 'entries.tar.gz']) {
      const out = path.join(work, name);
      const when = new Date(Date.UTC(2026, 10, 1, 12, 0, 0));
      await (name.endsWith('.zip') ? writeZip(entries, out, when) : writeTarGz(entries, out, when));
      const opened = await openBundle(out, { tempRoot: work });
      try {
        expect([...opened.entries.keys()].sort(), name).toEqual(['artifacts/donn\u00e9es/mod\u00e8le.onnx', 'artifacts/empty.csv', 'manifest.dsse.json']);
        expect(sha256(fs.readFileSync(path.join(opened.root, 'artifacts/données/modèle.onnx'))), name).toBe(sha256(blobBytes));
        expect(fs.statSync(path.join(opened.root, 'artifacts/empty.csv')).size).toBe(0);
      } finally {
        await opened.close();
      }
    }
  });

  it('refuse to write over an existing file', async () => {
    const out = path.join(work, 'taken.zip');
    fs.writeFileSync(out, 'kept');
    await expect(writeZip([], out, new Date(0))).rejects.toThrow(/EEXIST/);
    await expect(writeTarGz([], out, new Date(0))).rejects.toThrow(/EEXIST/);
    expect(fs.readFileSync(out, 'utf8')).toBe('kept');
  });
});

describe('the hash pool copying while it hashes', () => {
  it('copies every byte it hashes, and never writes through a file already at the destination', async () => {
    const source = path.join(work, 'copy-source.bin');
    const bytes = randomBytes(5 * 1024 * 1024 + 3);
    fs.writeFileSync(source, bytes);
    const copy = path.join(work, 'copy.bin');
    const digests = await pool.hashFiles([{ path: source, size: bytes.length, copyTo: copy }]);
    expect(digests.get(source)).toBe(sha256(bytes));
    expect(fs.readFileSync(copy).equals(bytes)).toBe(true);
    expect(fs.statSync(copy).mode & 0o777).toBe(0o644 & ~process.umask());
    await expect(pool.hashFiles([{ path: source, size: bytes.length, copyTo: copy }])).rejects.toThrow(/already exists|EEXIST/);
  });

  it('fails a file whose size is not the size listed, so the copy is what the manifest says', async () => {
    const source = path.join(work, 'grown.bin');
    fs.writeFileSync(source, randomBytes(1000));
    await expect(pool.hashFiles([{ path: source, size: 999, copyTo: path.join(work, 'grown-copy.bin') }])).rejects.toThrow(/changed while it was read \(1000 bytes, listed as 999\)/);
  });
});

describe('createRelease', () => {
  function project(): string {
    const dir = fs.mkdtempSync(path.join(work, 'project-'));
    fs.mkdirSync(path.join(dir, 'model'));
    fs.writeFileSync(path.join(dir, 'model/m.onnx'), randomBytes(2 * 1024 * 1024));
    return dir;
  }

  it('leaves nothing behind when the job is cancelled while the files are read', async () => {
    const dir = project();
    const huge = path.join(dir, 'model/huge.safetensors');
    fs.writeFileSync(huge, '');
    fs.truncateSync(huge, 64 * 1024 * 1024 * 1024); // Sparse: never read to the end within the test.
    const controller = new AbortController();
    const creating = createRelease(
      { baseDir: dir, paths: ['model'], out: 'release.tar.gz', name: 'r', version: '1' },
      { hashPool: pool, signer, offeredKey, signal: controller.signal, onProgress: (progress) => progress.bytesDone > 0 && controller.abort() },
    );
    await expect(creating).rejects.toBeInstanceOf(HashCancelledError);
    expect(fs.readdirSync(dir).sort()).toEqual(['model']);
  });

  it('refuses a signer whose signature does not verify under the key it offers, writing nothing', async () => {
    const dir = project();
    const liar: ManifestSigner = { keyId: signer.keyId, sign: async (message) => signEd25519(message, generateSeed()) };
    await expect(createRelease({ baseDir: dir, paths: ['model'], out: 'out', name: 'r', version: '1' }, { hashPool: pool, signer: liar, offeredKey })).rejects.toThrow(/does not verify under its public key/);
    expect(fs.readdirSync(dir).sort()).toEqual(['model']);
  });

  it('merges the contributions of other sources, and refuses one subject name or environment field given twice', async () => {
    const dir = project();
    const git = { ...emptyContribution(), pinned: [{ name: 'git+https://example.com/r.git', kind: 'code' as const, digest: { gitCommit: 'c'.repeat(40) } }], environment: { gitDirty: false } };
    const created = await createRelease({ baseDir: dir, paths: ['model'], out: 'out', name: 'r', version: '1', seed: '7' }, { hashPool: pool, signer, offeredKey, sources: [git] });
    expect(created.subjects).toBe(2);
    const envelope = readEnvelope(fs.readFileSync(path.join(dir, 'out/manifest.dsse.json')), 1 << 20);
    const statement = parseStrictJson(envelope.payload) as { predicate: { environment: unknown } };
    expect(statement.predicate.environment).toEqual({ seed: 7, gitDirty: false });
    expect(() => mergeContributions([git, git])).toThrow(/two subjects would be named "git\+https:\/\/example.com\/r.git"/);
    expect(() => mergeContributions([{ ...emptyContribution(), environment: { seed: 1 } }, { ...emptyContribution(), environment: { seed: 2 } }])).toThrow(/environment.seed is given twice, as 1 and 2/);
    expect(mergeContributions([{ ...emptyContribution(), environment: { seed: 1 } }, { ...emptyContribution(), environment: { seed: 1 } }]).environment).toEqual({ seed: 1 });
    expect(() => mergeContributions([{ ...emptyContribution(), metrics: { AUC: 0.9 } }, { ...emptyContribution(), metrics: { AUC: 0.8 } }])).toThrow(/metric AUC is given twice, as 0.9 and 0.8/);
  });
});
