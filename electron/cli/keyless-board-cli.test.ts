import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStrictJson } from '../../shared/json/strict-json';
import { ALICE, keylessDsseBundle, keylessMessageBundle, makeKeylessWorld, type KeylessWorld } from '../services/sigstore/keyless/keyless-test-kit';
import { reportOf, runCli } from './foreign-test-kit';

// A board that trusts a producer by its Sigstore identity, with the trusted root it pins held in
// the profile: keyless signatures verify with no trust flag, under the producer's name.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const demoBundle = path.join(repoRoot, 'assets/demo/bundle');
const PRODUCER = 'keyless CI';

let work: string;
let world: KeylessWorld;
let dataDir: string;
let artifact: string;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-board-cli-'));
  world = makeKeylessWorld();
  const rootPath = world.writeTrustedRoot(work);
  const board = parseStrictJson(fs.readFileSync(path.join(repoRoot, 'assets/demo/board.json'))) as Record<string, unknown> & { producers: Record<string, unknown>[] };
  board.producers.push({ name: PRODUCER, sigstore: [{ identity: ALICE.identity, issuer: ALICE.issuer }] });
  board.sigstoreTrustedRoot = { sha256: createHash('sha256').update(fs.readFileSync(rootPath)).digest('hex') };
  const boardPath = path.join(work, 'board.json');
  fs.writeFileSync(boardPath, JSON.stringify(board, null, 2));
  dataDir = path.join(work, 'profile-with-board');
  const imported = await runCli(work, 'trust', 'import-board', boardPath, '--yes', '--data-dir', dataDir);
  expect(imported.code, imported.stderr).toBe(0);
  const root = await runCli(work, 'trust', 'import-root', rootPath, '--data-dir', dataDir);
  expect(root.code, root.stderr).toBe(0);
  artifact = path.join(work, 'model.onnx');
  fs.writeFileSync(artifact, Buffer.from('weights '.repeat(500)));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function writeBundle(bytes: Uint8Array): string {
  const file = path.join(work, `bundle-${Math.random().toString(36).slice(2)}.sigstore.json`);
  fs.writeFileSync(file, bytes);
  return file;
}

describe('countersign verify of keyless signatures under the board policy, with no trust flags', () => {
  it('verifies a keyless bundle by the producer identity, named as the producer', async () => {
    const bundle = writeBundle(keylessMessageBundle(world, world.leaf(), fs.readFileSync(artifact)));
    const run = await runCli(work, 'verify', artifact, '--signature', bundle, '--json', '--data-dir', dataDir);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const report = reportOf(run);
    expect(report.verdict).toBe('verified');
    expect(report.signatures[0]).toMatchObject({ status: 'valid', signerName: `${PRODUCER}: ${ALICE.identity} (issuer ${ALICE.issuer})`, trustSource: 'producer' });
  });

  it('leaves a keyless bundle by another identity untrusted, naming the identity the board expects', async () => {
    const leaf = world.leaf({ email: 'mallory@example.test' });
    const bundle = writeBundle(keylessMessageBundle(world, leaf, fs.readFileSync(artifact)));
    const run = await runCli(work, 'verify', artifact, '--signature', bundle, '--json', '--data-dir', dataDir);
    expect(run.code).toBe(1);
    const report = reportOf(run);
    expect(report.verdict).toBe('untrusted');
    expect(JSON.stringify(report)).toContain(ALICE.identity);
    expect(JSON.stringify(report)).toContain('mallory@example.test');
  });

  it('verifies a keyless Sigstore attestation in a Countersign bundle as the producer', async () => {
    const modelPath = path.join(demoBundle, 'artifacts/model/fraud-m92.onnx');
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'fraud-m92.onnx', digest: { sha256: createHash('sha256').update(fs.readFileSync(modelPath)).digest('hex') } }],
      predicateType: 'https://example.test/model-card/v1',
      predicate: {},
    };
    const dir = fs.mkdtempSync(path.join(work, 'bundle-'));
    fs.cpSync(demoBundle, dir, { recursive: true });
    fs.mkdirSync(path.join(dir, 'attestations'));
    fs.writeFileSync(path.join(dir, 'attestations', 'card.sigstore.json'), keylessDsseBundle(world, world.leaf(), statement));
    const run = await runCli(work, 'verify', dir, '--json', '--data-dir', dataDir);
    const report = reportOf(run);
    expect(report.attestations[0], JSON.stringify(report.attestations)).toMatchObject({ path: 'attestations/card.sigstore.json', format: 'sigstore', status: 'verified', signer: `${PRODUCER}: ${ALICE.identity} (issuer ${ALICE.issuer})`, trustSource: 'producer' });
  });
});
