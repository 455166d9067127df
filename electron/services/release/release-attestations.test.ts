import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSeed, publicKeyFromSeed, signEd25519 } from '../../../shared/crypto/ed25519';
import { keyIdOf } from '../../../shared/crypto/keys';
import { createHashPool, type HashPool } from '../hashing/hash-files';
import { createRelease } from './create-release';
import type { ManifestSigner } from './manifest-signer';

let work: string;
let pool: HashPool;
const seed = generateSeed();
const signer: ManifestSigner = { keyId: keyIdOf(publicKeyFromSeed(seed)), sign: async (message) => signEd25519(message, seed) };
const ENVELOPE = JSON.stringify({ payloadType: 'application/vnd.in-toto+json', payload: Buffer.from('{}').toString('base64'), signatures: [{ keyid: '', sig: 'AAAA' }] });

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'release-attestations-'));
  pool = createHashPool({ workers: 1 });
  fs.mkdirSync(path.join(work, 'model'));
  fs.writeFileSync(path.join(work, 'model', 'weights.bin'), 'weights');
  fs.writeFileSync(path.join(work, 'provenance.dsse.json'), ENVELOPE);
  fs.writeFileSync(path.join(work, 'notes.txt'), 'not a signature');
});
afterAll(async () => {
  await pool.close();
  fs.rmSync(work, { recursive: true, force: true });
});

const request = (out: string, attestations: string[]) => ({ baseDir: work, paths: ['model'], out, name: 'fraud', version: '1', attestations, createdAt: '2026-11-01T12:00:00Z' });

describe('release create --attestation', () => {
  it('ships each attestation as attestations/<file name>, byte for byte', async () => {
    await createRelease(request('out-ok', ['provenance.dsse.json']), { hashPool: pool, signer });
    expect(fs.readFileSync(path.join(work, 'out-ok', 'attestations', 'provenance.dsse.json'), 'utf8')).toBe(ENVELOPE);
  });

  it('refuses a file that is no attestation, or two of one name, and leaves nothing behind', async () => {
    await expect(createRelease(request('out-bad', ['notes.txt']), { hashPool: pool, signer })).rejects.toThrow(/--attestation notes.txt is not a signature/);
    fs.mkdirSync(path.join(work, 'again'));
    fs.writeFileSync(path.join(work, 'again', 'provenance.dsse.json'), ENVELOPE);
    await expect(createRelease(request('out-twice', ['provenance.dsse.json', 'again/provenance.dsse.json']), { hashPool: pool, signer })).rejects.toThrow(/two attestations would both be attestations\/provenance.dsse.json/);
    expect(fs.existsSync(path.join(work, 'out-bad'))).toBe(false);
    expect(fs.existsSync(path.join(work, 'out-twice'))).toBe(false);
  });
});
