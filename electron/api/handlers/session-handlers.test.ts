import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandInput, CommandName, CommandOutput, Result } from '../../../shared/api/contract';
import { parsePublicKey } from '../../../shared/crypto/keys';
import { makeOpensslKey, type OpensslKeyPair } from '../../services/oms/oms-test-producer';
import { makeOmsModel, makeSigstoreArtifact } from '../../services/session/foreign-fixtures';
import { createDispatcher, type Dispatcher } from '../dispatcher';

let work: string;
let dispatcher: Dispatcher;
let producer: OpensslKeyPair;

const call = <C extends CommandName>(command: C, input: CommandInput<C>) => dispatcher.dispatch(command, input) as Promise<Result<CommandOutput<C>>>;
async function ok<C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandOutput<C>> {
  const result = await call(command, input);
  if (!result.ok) throw new Error(`${command} failed: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-foreign-handlers-'));
  dispatcher = createDispatcher({ dataDir: path.join(work, 'profile'), demoBundlePath: null, hooks: { host: 'web', emit: () => {} } });
  producer = makeOpensslKey(work, 'producer', 'ed25519');
  const publicKey = fs.readFileSync(producer.publicPath, 'utf8');
  await ok('trust.pin', { publicKey, name: 'Training CI', confirmKeyId: parsePublicKey(publicKey).keyId });
});
afterAll(async () => {
  await dispatcher.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('session.open on signatures other tools make', () => {
  it('opens an OMS model folder as a foreign session under the profile’s trust, and remembers it among recent targets', async () => {
    const { modelDir, signaturePath } = makeOmsModel(path.join(work, 'oms-model'), producer, work);
    const opened = await ok('session.open', { path: modelDir, acceptForeign: true });
    expect(opened).toMatchObject({ kind: 'foreign', signatureFormat: 'oms', signaturePath, report: { verdict: 'verified', bundle: { format: 'oms' } } });
    expect(opened.report?.signatures[0]).toMatchObject({ signerName: 'Training CI', trustSource: 'pinned', status: 'valid' });
    expect((await ok('session.report', { sessionId: opened.sessionId })).verdict).toBe('verified');
    expect(await ok('bundle.recent', {})).toContainEqual(expect.objectContaining({ path: modelDir, verdict: 'verified' }));
  });

  it('answers bundle-only questions of it with unsupported / not-a-bundle, naming the format', async () => {
    const { modelDir } = makeOmsModel(path.join(work, 'oms-questions'), producer, work);
    const { sessionId } = await ok('session.open', { path: modelDir, acceptForeign: true, verify: false });
    const notABundle = { ok: false, error: { code: 'unsupported', subcode: 'not-a-bundle', message: expect.stringContaining('not available') } };
    expect(await call('approvals.evaluate', { sessionId })).toEqual(notABundle);
    expect(await call('deployment.diff', { sessionId })).toEqual(notABundle);
    expect(await call('lineage.graph', { sessionId })).toEqual(notABundle);
    expect(await call('trust.offeredKeys', { sessionId })).toEqual(notABundle);
  });

  it('keeps the old answer for callers that do not ask for foreign targets', async () => {
    const { modelDir } = makeOmsModel(path.join(work, 'oms-old-caller'), producer, work);
    const opened = await ok('session.open', { path: modelDir });
    expect(opened.kind).toBe('bundle');
    expect(opened.signatureFormat).toBeUndefined();
    expect(opened.report?.verdict).toBe('invalid');
  });

  it('asks for a signature when a file has none beside it, and verifies with the one chosen', async () => {
    const { artifact, bundlePath } = makeSigstoreArtifact(path.join(work, 'model.onnx'), producer, work);
    const chosen = path.join(work, 'signature-from-mail.json');
    fs.renameSync(bundlePath, chosen);
    const refused = await call('session.open', { path: artifact, acceptForeign: true });
    expect(refused).toEqual({ ok: false, error: { code: 'not-found', subcode: 'signature-needed', message: expect.stringContaining('choose its signature') } });
    const opened = await ok('session.open', { path: artifact, signature: chosen });
    expect(opened).toMatchObject({ kind: 'foreign', signatureFormat: 'sigstore', signaturePath: chosen, report: { verdict: 'verified' } });
  });
});
