import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStrictJson } from '../../shared/json/strict-json';
import { parseTrustedPublicKey } from '../services/foreign/public-keys';
import { dssePae, makeOpensslKey, opensslSign, type OpensslKeyPair } from '../services/oms/oms-test-producer';
import { reportOf, runCli } from './foreign-test-kit';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const demoBundle = path.join(repoRoot, 'assets/demo/bundle');
const CODE_COMMIT = '4e08bb1c89a26880a3da75adc53ac10167a0ab6e';
const IN_TOTO = 'application/vnd.in-toto+json';

let work: string;
let producer: OpensslKeyPair;
let keyId: string;
let boardPath: string;
let board: Record<string, unknown> & { producers: Record<string, unknown>[] };

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'attestations-cli-'));
  producer = makeOpensslKey(work, 'release-ci', 'p256');
  const pem = fs.readFileSync(producer.publicPath, 'utf8');
  keyId = parseTrustedPublicKey(pem, 'key', 'key', 'producer').keyId;
  board = parseStrictJson(fs.readFileSync(path.join(repoRoot, 'assets/demo/board.json'))) as typeof board;
  board.producers.push({ name: 'release CI', keys: [pem] });
  boardPath = path.join(work, 'board.json');
  fs.writeFileSync(boardPath, JSON.stringify(board, null, 2));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function bundleWithProvenance(commit: string): string {
  const modelDigest = createHash('sha256').update(fs.readFileSync(path.join(demoBundle, 'artifacts/model/fraud-m92.onnx'))).digest('hex');
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'fraud-m92.onnx', digest: { sha256: modelDigest } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: { buildDefinition: { buildType: 'https://example.test/ci', externalParameters: {}, resolvedDependencies: [{ uri: 'git+https://git.example.com/fraud.git', digest: { gitCommit: commit } }] }, runDetails: {} },
  };
  const payload = Buffer.from(JSON.stringify(statement));
  const sig = opensslSign(producer, dssePae(IN_TOTO, payload), work).toString('base64');
  const dir = fs.mkdtempSync(path.join(work, 'bundle-'));
  fs.cpSync(demoBundle, dir, { recursive: true });
  fs.mkdirSync(path.join(dir, 'attestations'));
  fs.writeFileSync(path.join(dir, 'attestations', 'provenance.dsse.json'), JSON.stringify({ payloadType: IN_TOTO, payload: payload.toString('base64'), signatures: [{ keyid: keyId, sig }] }));
  return dir;
}

describe('countersign verify <bundle> with attestations', () => {
  it('lists a verified provenance by a board producer and exits 0', async () => {
    const run = await runCli(work, 'verify', bundleWithProvenance(CODE_COMMIT), '--board', boardPath);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Attestations');
    expect(run.stdout).toMatch(/verified\s+attestations\/provenance\.dsse\.json\s+dsse https:\/\/slsa\.dev\/provenance\/v1/);
    expect(run.stdout).toContain(`signer release CI (${keyId}), trusted as producer`);
  });

  it('exits 1 when the provenance names another commit, naming both, and reports it in --json', async () => {
    const other = 'a'.repeat(40);
    const bundle = bundleWithProvenance(other);
    const human = await runCli(work, 'verify', bundle, '--board', boardPath);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain(`provenance commit ${other}; code subject ${CODE_COMMIT} (differs)`);
    const json = await runCli(work, 'verify', bundle, '--board', boardPath, '--json');
    expect(json.code).toBe(1);
    const report = reportOf(json);
    expect(report.verdict).toBe('tampered');
    expect(report.attestations[0]).toMatchObject({ path: 'attestations/provenance.dsse.json', status: 'tampered', provenance: { status: 'differs' } });
  });
});

describe('countersign trust import-root', () => {
  it('keeps only a trusted root whose sha256 the imported board policy pins', async () => {
    const rootBytes = Buffer.from('{"mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1", "tlogs": []}\n');
    const rootPath = path.join(work, 'trusted_root.json');
    fs.writeFileSync(rootPath, rootBytes);
    const pinned = { ...board, sigstoreTrustedRoot: { sha256: createHash('sha256').update(rootBytes).digest('hex') } };
    pinned.producers = [...board.producers, { name: 'keyless CI', sigstore: [{ identity: 'https://ci.example.test/release', issuer: 'https://issuer.example.test' }] }];
    const pinnedPath = path.join(work, 'pinned-board.json');
    fs.writeFileSync(pinnedPath, JSON.stringify(pinned, null, 2));
    const dataDir = path.join(work, 'import-root-profile');

    const beforeBoard = await runCli(work, 'trust', 'import-root', rootPath, '--data-dir', dataDir);
    expect(beforeBoard.code).toBe(2);
    expect(beforeBoard.stderr).toContain('pins no Sigstore trusted root');

    expect((await runCli(work, 'trust', 'import-board', pinnedPath, '--yes', '--data-dir', dataDir)).code).toBe(0);
    const otherPath = path.join(work, 'other_root.json');
    fs.writeFileSync(otherPath, Buffer.concat([rootBytes, Buffer.from(' ')]));
    const wrong = await runCli(work, 'trust', 'import-root', otherPath, '--data-dir', dataDir);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('nothing was imported');
    expect((await runCli(work, 'trust', 'list', '--data-dir', dataDir)).stdout).toContain('not imported');
    const rootEntries = async () => (reportOf(await runCli(work, 'audit', 'list', '--json', '--data-dir', dataDir)) as { action: string; detail: unknown }[]).filter((entry) => entry.action === 'trusted-root.imported');
    expect(await rootEntries()).toEqual([]);

    const right = await runCli(work, 'trust', 'import-root', rootPath, '--data-dir', dataDir);
    expect(right.code, right.stderr).toBe(0);
    const list = await runCli(work, 'trust', 'list', '--data-dir', dataDir);
    expect(list.stdout).toContain('held in this profile');
    expect(list.stdout).toContain('sigstore https://ci.example.test/release (issuer https://issuer.example.test)');
    expect(await rootEntries()).toEqual([expect.objectContaining({ action: 'trusted-root.imported', actor: null, detail: { board: board.board, sha256: pinned.sigstoreTrustedRoot.sha256, bytes: rootBytes.length, alreadyHeld: false } })]);
    expect((await runCli(work, 'audit', 'verify', '--data-dir', dataDir)).code).toBe(0);
  });
});
