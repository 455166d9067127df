import { appendFileSync, cpSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTrustContext } from '../../../shared/verify/trust';
import { createHashPool, type HashPool } from '../hashing/hash-files';
import { makeOpensslKey, type OpensslKeyPair } from '../oms/oms-test-producer';
import { makeOmsModel, makeSigstoreArtifact, trustPinning } from './foreign-fixtures';
import { SIGNATURE_NEEDED } from './foreign-target';
import { NOT_A_BUNDLE, ReviewSession } from './review-session';
import { SessionRegistry } from './session-registry';

const demoBundle = fileURLToPath(new URL('../../../assets/demo/bundle', import.meta.url));

let work: string;
let pool: HashPool;
let producer: OpensslKeyPair;
let stranger: OpensslKeyPair;
let registry: SessionRegistry;
let caseNumber = 0;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'countersign-foreign-session-'));
  pool = createHashPool({ workers: 1 });
  producer = makeOpensslKey(work, 'producer', 'ed25519');
  stranger = makeOpensslKey(work, 'stranger', 'ed25519');
  registry = new SessionRegistry({ hashPool: pool, tempParent: work });
});
afterAll(async () => {
  await registry.closeAll();
  await pool.close();
  rmSync(work, { recursive: true, force: true });
});

function freshDir(): string {
  const dir = path.join(work, `case-${++caseNumber}`);
  mkdirSync(dir);
  return dir;
}

const FOREIGN = { acceptForeign: true } as const;

/** What a question throws or rejects with; fails the test when it answers. */
async function refusalOf(ask: () => Promise<unknown>): Promise<unknown> {
  try {
    await ask();
  } catch (error) {
    return error;
  }
  throw new Error('the question was answered');
}

describe('a model directory holding an OMS signature', () => {
  it('opens as a foreign session and verifies under the key pinned in the profile, naming the signer and its trust', async () => {
    const { modelDir, signaturePath } = makeOmsModel(path.join(freshDir(), 'fraud-model'), producer, work);
    const session = await registry.open(modelDir, {}, {}, FOREIGN);
    expect(session.kind).toBe('foreign');
    expect(session.signatureFormat).toBe('oms');
    expect(session.signaturePath).toBe(signaturePath);
    const report = await session.report(trustPinning(producer, 'Training CI'));
    expect(report.verdict).toBe('verified');
    expect(report.bundle).toMatchObject({ format: 'oms', container: 'directory', signaturePath });
    expect(report.signatures).toEqual([expect.objectContaining({ status: 'valid', signerName: 'Training CI', trustSource: 'pinned' })]);
    expect(report.subjects.map((subject) => [subject.name, subject.status])).toEqual([
      ['config.json', 'ok'],
      ['weights/part-0.bin', 'ok'],
      ['weights/part-1.bin', 'ok'],
    ]);
  });

  it('names the one changed file, with its expected and actual digests: tampered', async () => {
    const { modelDir } = makeOmsModel(path.join(freshDir(), 'fraud-model'), producer, work);
    appendFileSync(path.join(modelDir, 'weights/part-1.bin'), 'poisoned');
    const report = await (await registry.open(modelDir, {}, {}, FOREIGN)).report(trustPinning(producer, 'Training CI'));
    expect(report.verdict).toBe('tampered');
    const changed = report.subjects.filter((subject) => subject.status !== 'ok');
    expect(changed).toEqual([expect.objectContaining({ name: 'weights/part-1.bin', status: 'mismatch' })]);
    expect(changed[0]!.expectedSha256).not.toBe(changed[0]!.actualSha256);
    expect(changed[0]!.actualSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.reasons.join(' ')).toContain('weights/part-1.bin');
  });

  it('is untrusted when the signer’s key is not pinned, whatever key the signature brings', async () => {
    const { modelDir } = makeOmsModel(path.join(freshDir(), 'fraud-model'), producer, work);
    const session = await registry.open(modelDir, {}, {}, FOREIGN);
    const unpinned = await session.report(buildTrustContext({ source: 'store', board: null }));
    expect(unpinned.verdict).toBe('untrusted');
    expect(unpinned.signatures).toEqual([expect.objectContaining({ status: 'unknown-key', trustSource: null })]);
    const otherKey = await session.report(trustPinning(stranger, 'Someone else'));
    expect(otherKey.verdict).toBe('untrusted');
    expect(otherKey.signatures.every((signature) => signature.status !== 'valid')).toBe(true);
    // Pinning the key while the session is open: the same session verifies under the new trust.
    expect((await session.report(trustPinning(producer, 'Training CI'))).verdict).toBe('verified');
  });

  it('answers bundle-only questions with not-a-bundle, an answer a view shows as an empty state', async () => {
    const { modelDir } = makeOmsModel(path.join(freshDir(), 'fraud-model'), producer, work);
    const session = await registry.open(modelDir, {}, {}, FOREIGN);
    expect(await refusalOf(() => session.bundleApprovals())).toMatchObject({ code: 'unsupported', subcode: NOT_A_BUNDLE, message: expect.stringContaining('OpenSSF Model Signing') });
    expect(await refusalOf(() => session.lineage())).toMatchObject({ subcode: NOT_A_BUNDLE });
    expect(await refusalOf(() => session.bundleDeployment())).toMatchObject({ subcode: NOT_A_BUNDLE });
    expect(() => session.manifestCheck(trustPinning(producer, 'Training CI'))).toThrow(/not available/);
    expect(session.hasLineage).toBe(false);
  });

  it('stays a bundle for callers that do not ask for foreign targets, and whenever a manifest is present', async () => {
    const { modelDir } = makeOmsModel(path.join(freshDir(), 'fraud-model'), producer, work);
    expect((await registry.open(modelDir)).kind).toBe('bundle');
    const bundleWithSig = path.join(freshDir(), 'bundle');
    cpSync(demoBundle, bundleWithSig, { recursive: true });
    writeFileSync(path.join(bundleWithSig, 'model.sig'), '{}');
    expect((await registry.open(bundleWithSig, {}, {}, FOREIGN)).kind).toBe('bundle');
  });

  it('refuses a model.sig that is a link, without following it', async () => {
    const { modelDir, signaturePath } = makeOmsModel(path.join(freshDir(), 'fraud-model'), producer, work);
    const elsewhere = path.join(path.dirname(modelDir), 'real.sig');
    renameSync(signaturePath, elsewhere);
    symlinkSync(elsewhere, signaturePath);
    await expect(registry.open(modelDir, {}, {}, FOREIGN)).rejects.toMatchObject({ code: 'hostile-input', message: expect.stringContaining('not a regular file') });
  });

  it('decides the format from the content: a model.sig that is no signature is refused, naming why', async () => {
    const { modelDir, signaturePath } = makeOmsModel(path.join(freshDir(), 'fraud-model'), producer, work);
    writeFileSync(signaturePath, 'not a signature at all');
    await expect(registry.open(modelDir, {}, {}, FOREIGN)).rejects.toMatchObject({ code: 'invalid-format', message: expect.stringContaining('not a signature Countersign recognises') });
  });
});

describe('an artifact with a Sigstore bundle', () => {
  it('finds <file>.sigstore.json beside the artifact and verifies it under the pinned key', async () => {
    const { artifact, bundlePath } = makeSigstoreArtifact(path.join(freshDir(), 'model.onnx'), producer, work);
    const session = await registry.open(artifact, {}, {}, FOREIGN);
    expect(session.signatureFormat).toBe('sigstore');
    const report = await session.report(trustPinning(producer, 'Release CI'));
    expect(report.verdict).toBe('verified');
    expect(report.bundle).toMatchObject({ format: 'sigstore', container: 'file', signaturePath: bundlePath });
    expect(report.signatures[0]).toMatchObject({ status: 'valid', signerName: 'Release CI', trustSource: 'pinned' });
    expect((await session.report(buildTrustContext({ source: 'store', board: null }))).verdict).toBe('untrusted');
  });

  it('is tampered when the artifact changed', async () => {
    const { artifact } = makeSigstoreArtifact(path.join(freshDir(), 'model.onnx'), producer, work);
    appendFileSync(artifact, '!');
    const report = await (await registry.open(artifact, {}, {}, FOREIGN)).report(trustPinning(producer, 'Release CI'));
    expect(report.verdict).toBe('tampered');
    expect(report.subjects[0]).toMatchObject({ status: 'mismatch' });
  });

  it('takes a signature chosen by the person, whatever its name, and asks for one when none is beside the file', async () => {
    const { artifact, bundlePath } = makeSigstoreArtifact(path.join(freshDir(), 'model.onnx'), producer, work);
    const elsewhere = path.join(freshDir(), 'release-signature.txt');
    renameSync(bundlePath, elsewhere);
    await expect(registry.open(artifact, {}, {}, FOREIGN)).rejects.toMatchObject({ code: 'not-found', subcode: SIGNATURE_NEEDED });
    const session = await registry.open(artifact, {}, {}, { signature: elsewhere });
    expect((await session.report(trustPinning(producer, 'Release CI'))).verdict).toBe('verified');
  });

  it('leaves a file named as an archive to the bundle reader, which names what is wrong with it', async () => {
    const fake = path.join(freshDir(), 'release.tar');
    writeFileSync(fake, 'not a tar at all');
    await expect(registry.open(fake, {}, {}, FOREIGN)).rejects.toMatchObject({ code: 'unreadable', message: expect.stringContaining('not a bundle') });
  });

  it('reports hash progress and stops on cancel, leaving the next report to start again', async () => {
    const { artifact } = makeSigstoreArtifact(path.join(freshDir(), 'model.onnx'), producer, work);
    const session = await ReviewSession.open('progress', artifact, { hashPool: pool }, {}, FOREIGN);
    const cancelled = new AbortController();
    cancelled.abort();
    await expect(session.report(trustPinning(producer, 'Release CI'), { signal: cancelled.signal })).rejects.toThrow(/cancelled/i);
    const progress: number[] = [];
    const report = await session.report(trustPinning(producer, 'Release CI'), { onProgress: (event) => progress.push(event.bytesDone) });
    expect(report.verdict).toBe('verified');
    expect(progress.at(-1)).toBe(report.counts.bytesHashed);
  });
});
