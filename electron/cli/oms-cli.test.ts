import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeOpensslKey, opensslSign, specBundle, specResources, specStatement, writeModel, type OpensslKeyPair } from '../services/oms/oms-test-producer';
import { ALICE, keylessDsseBundle, keylessMessageBundle, makeKeylessWorld } from '../services/sigstore/keyless/keyless-test-kit';
import { reportOf, runCli } from './foreign-test-kit';

let work: string;
let key: OpensslKeyPair;
let otherKey: OpensslKeyPair;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-oms-cli-'));
  key = makeOpensslKey(work, 'signer', 'p384');
  otherKey = makeOpensslKey(work, 'other', 'p256');
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

let modelNumber = 0;
/** A model directory with its OMS signature written inside it as model.sig, as model_signing does by default. */
function signedModel(signer: OpensslKeyPair = key): { model: string; signature: string } {
  const model = writeModel(path.join(work, `model-${++modelNumber}`), { 'config.json': '{}', 'weights/shard-1.bin': 'one', 'weights/shard-2.bin': 'two' });
  const statement = specStatement(path.basename(model), specResources(model), { method: 'files', hash_type: 'sha256', allow_symlinks: false, ignore_paths: ['model.sig'] });
  const signature = path.join(model, 'model.sig');
  fs.writeFileSync(signature, specBundle(statement, { publicKey: { hint: 'unused' } }, (pae) => opensslSign(signer, pae, work)));
  return { model, signature };
}

describe('countersign verify <model dir> --signature model.sig (OMS)', () => {
  it('exits 0 for a model signed by the --key, with an oms report listing every file', async () => {
    const { model, signature } = signedModel();
    const run = await runCli(work, 'verify', model, '--signature', signature, '--key', key.publicPath, '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = reportOf(run);
    expect(report.verdict).toBe('verified');
    expect(report.bundle).toMatchObject({ format: 'oms', container: 'directory', signaturePath: signature });
    expect(report.subjects.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      ['config.json', 'ok'],
      ['weights/shard-1.bin', 'ok'],
      ['weights/shard-2.bin', 'ok'],
    ]);
    expect(report.signatures[0]).toMatchObject({ status: 'valid', algorithm: expect.stringContaining('ecdsa-p384-sha384') });
    expect(fs.existsSync(path.join(work, 'profile'))).toBe(false);
  });

  it('exits 1 for a changed file, naming it with both digests, and for an unsigned extra file', async () => {
    const { model, signature } = signedModel();
    fs.writeFileSync(path.join(model, 'weights/shard-2.bin'), 'TWO');
    const changed = await runCli(work, 'verify', model, '--signature', signature, '--key', key.publicPath);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain('weights/shard-2.bin');
    expect(changed.stdout).toContain('TAMPERED');
    expect(changed.stdout).toContain(createHash('sha256').update('TWO').digest('hex'));

    const second = signedModel();
    fs.writeFileSync(path.join(second.model, 'extra.bin'), 'x');
    expect((await runCli(work, 'verify', second.model, '--signature', second.signature, '--key', key.publicPath)).code).toBe(1);
    expect((await runCli(work, 'verify', second.model, '--signature', second.signature, '--key', key.publicPath, '--ignore-unsigned-files')).code).toBe(0);
  });

  it('exits 1 when the --key did not sign it (untrusted), whatever the bundle hints', async () => {
    const { model, signature } = signedModel(otherKey);
    const run = await runCli(work, 'verify', model, '--signature', signature, '--key', key.publicPath, '--json');
    expect(run.code).toBe(1);
    expect(reportOf(run).verdict).toBe('untrusted');
  });

  it('exits 2 for an invalid signature file, and for a resource that climbs out of the model', async () => {
    const { model, signature } = signedModel();
    const statement = specStatement('m', [{ name: '../outside', algorithm: 'sha256', digest: '0'.repeat(64) }], { method: 'files', hash_type: 'sha256', allow_symlinks: false });
    fs.writeFileSync(signature, specBundle(statement, { publicKey: { hint: 'unused' } }, (pae) => opensslSign(key, pae, work)));
    const climbing = await runCli(work, 'verify', model, '--signature', signature, '--key', key.publicPath, '--format', 'oms', '--json');
    expect(climbing.code).toBe(2);
    expect(reportOf(climbing)).toMatchObject({ verdict: 'invalid', bundle: { format: 'oms' } });

    fs.writeFileSync(signature, '{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","mediaType":"again"}');
    const hostile = await runCli(work, 'verify', model, '--signature', signature, '--key', key.publicPath, '--format', 'oms');
    expect(hostile.code).toBe(2);
  });
});

describe('countersign verify <artifact> --signature bundle.json (Sigstore)', () => {
  it('exits 0 for a message signature by the --key, and 2 for a malformed --trusted-root', async () => {
    const artifact = path.join(work, 'model.onnx');
    fs.writeFileSync(artifact, 'onnx');
    const bundle = path.join(work, 'model.onnx.sigstore.json');
    fs.writeFileSync(
      bundle,
      JSON.stringify({
        mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.2',
        verificationMaterial: { publicKey: { hint: 'cosign' } },
        messageSignature: { signature: opensslSign(key, Buffer.from('onnx'), work).toString('base64') },
      }),
    );
    const run = await runCli(work, 'verify', artifact, '--signature', bundle, '--key', key.publicPath, '--json');
    expect(run.code).toBe(0);
    expect(reportOf(run).bundle.format).toBe('sigstore');

    const trustedRoot = path.join(work, 'trusted_root.json');
    fs.writeFileSync(trustedRoot, '{}');
    const keyless = await runCli(work, 'verify', artifact, '--signature', bundle, '--trusted-root', trustedRoot, '--certificate-identity', 'a@example.test', '--certificate-oidc-issuer', 'https://issuer.example.test');
    expect(keyless.code).toBe(2);
    expect(keyless.stdout).toContain('$.mediaType');
  });
});

describe('countersign verify ... --trusted-root --certificate-identity --certificate-oidc-issuer (keyless)', () => {
  const world = makeKeylessWorld();
  const keylessFlags = (identity = ALICE.identity, issuer = ALICE.issuer) => ['--trusted-root', world.writeTrustedRoot(work), '--certificate-identity', identity, '--certificate-oidc-issuer', issuer];

  it('exits 0 for an artifact signed keyless by the identity, with the signer and transparency in the --json report; 1 for another identity', async () => {
    const artifact = path.join(work, 'keyless.onnx');
    fs.writeFileSync(artifact, 'keyless weights');
    const bundle = path.join(work, 'keyless.onnx.sigstore.json');
    fs.writeFileSync(bundle, keylessMessageBundle(world, world.leaf(), fs.readFileSync(artifact)));
    const run = await runCli(work, 'verify', artifact, '--signature', bundle, ...keylessFlags(), '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = reportOf(run);
    expect(report).toMatchObject({ verdict: 'verified', bundle: { format: 'sigstore' } });
    expect(report.signatures[0]).toMatchObject({ status: 'valid', signerName: 'alice@example.test (issuer https://issuer.example.test)', keyId: expect.stringMatching(/^SHA256:/) });
    expect(report.transparency).toMatchObject({ integratedTime: '2026-03-01T10:01:00.000Z', proofsChecked: expect.arrayContaining(['fulcio-chain', 'sct']) });
    expect(fs.existsSync(path.join(work, 'profile'))).toBe(false);

    const other = await runCli(work, 'verify', artifact, '--signature', bundle, ...keylessFlags('mallory@example.test'), '--json');
    expect(other.code).toBe(1);
    expect(reportOf(other).verdict).toBe('untrusted');
    const otherIssuer = await runCli(work, 'verify', artifact, '--signature', bundle, ...keylessFlags(ALICE.identity, 'https://elsewhere.example.test'));
    expect(otherIssuer.code).toBe(1);
    expect(otherIssuer.stdout).toContain('https://elsewhere.example.test');
  });

  it('exits 0 for a model signed keyless (OMS sigstore method) and 1 when a file changed', async () => {
    const model = writeModel(path.join(work, `keyless-model-${++modelNumber}`), { 'config.json': '{}', 'weights.bin': 'w' });
    const statement = specStatement(path.basename(model), specResources(model), { method: 'files', hash_type: 'sha256', allow_symlinks: false, ignore_paths: ['model.sig'] });
    const signature = path.join(model, 'model.sig');
    fs.writeFileSync(signature, keylessDsseBundle(world, world.leaf(), statement));
    const run = await runCli(work, 'verify', model, '--signature', signature, ...keylessFlags(), '--json');
    expect(run.code).toBe(0);
    expect(reportOf(run)).toMatchObject({ verdict: 'verified', bundle: { format: 'oms' }, signatures: [{ signerName: 'alice@example.test (issuer https://issuer.example.test)' }] });
    expect(reportOf(run).transparency.proofsChecked).toEqual(expect.arrayContaining(['fulcio-chain', 'sct']));
    fs.writeFileSync(path.join(model, 'weights.bin'), 'W');
    expect((await runCli(work, 'verify', model, '--signature', signature, ...keylessFlags())).code).toBe(1);
  });
});
