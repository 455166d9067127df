import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHashPool, type HashPool } from '../hashing/hash-files';
import {
  makeOpensslKey,
  makeTestCa,
  opensslSign,
  run,
  specBundle,
  specResources,
  specStatement,
  writeModel,
  type OpensslKeyPair,
  type SpecResource,
} from './oms-test-producer';
import { loadTrustFlags } from '../foreign/load-trust-flags';
import { ALICE, keylessDsseBundle, makeKeylessWorld } from '../sigstore/keyless/keyless-test-kit';
import { verifyOmsModel } from './verify-oms';

let work: string;
let pool: HashPool;
let rangeRequests: number;
let keys: Record<'p256' | 'p384' | 'ed25519' | 'attacker', OpensslKeyPair>;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'oms-verify-'));
  const realPool = createHashPool({ workers: 2 });
  // Counts every read the verifier asks for, so a refusal can be shown to have read nothing.
  pool = {
    hashFiles: (files, options) => realPool.hashFiles(files, options),
    hashRanges: (ranges, options) => {
      rangeRequests += ranges.length;
      return realPool.hashRanges(ranges, options);
    },
    close: () => realPool.close(),
  };
  keys = {
    p256: makeOpensslKey(work, 'p256', 'p256'),
    p384: makeOpensslKey(work, 'p384', 'p384'),
    ed25519: makeOpensslKey(work, 'ed25519', 'ed25519'),
    attacker: makeOpensslKey(work, 'attacker', 'p256'),
  };
});

afterAll(async () => {
  await pool.close();
  rmSync(work, { recursive: true, force: true });
});

let caseNumber = 0;
function freshDir(files: Record<string, string | Buffer>): string {
  const dir = path.join(work, `case-${++caseNumber}`);
  mkdirSync(dir);
  return writeModel(path.join(dir, 'model'), files);
}

const SERIALIZATION = { method: 'files', hash_type: 'sha256', allow_symlinks: false, ignore_paths: ['.git', '.gitattributes', '.github', '.gitignore'] };

function signModel(modelDir: string, signer: OpensslKeyPair, options: { resources?: SpecResource[]; serialization?: Record<string, unknown>; material?: Record<string, unknown>; statement?: unknown; hash?: string; keyid?: string | null | undefined; mediaType?: string } = {}): string {
  const resources = options.resources ?? specResources(modelDir);
  const statement = options.statement ?? specStatement(path.basename(modelDir), resources, options.serialization ?? SERIALIZATION);
  const material = options.material ?? { publicKey: { hint: 'not-a-trust-anchor' }, tlogEntries: [] };
  const bundle = specBundle(statement, material, (pae) => opensslSign(signer, pae, work, options.hash), {
    ...(options.keyid !== undefined ? { keyid: options.keyid } : {}),
    ...(options.mediaType ? { mediaType: options.mediaType } : {}),
  });
  const signaturePath = path.join(path.dirname(modelDir), 'model.sig');
  writeFileSync(signaturePath, bundle);
  return signaturePath;
}

interface VerifyOptions {
  ignorePaths?: string[];
  ignoreUnsignedFiles?: boolean;
  now?: Date;
}

async function verify(modelPath: string, signaturePath: string, trust: { keys?: OpensslKeyPair[]; ca?: string[]; trustedRoot?: string; identity?: { identity: string; issuer: string } }, options: VerifyOptions = {}) {
  rangeRequests = 0;
  const keyless = trust.identity ? { certificateIdentity: trust.identity.identity, certificateOidcIssuer: trust.identity.issuer } : {};
  const flags = await loadTrustFlags(
    { keys: (trust.keys ?? []).map((key) => key.publicPath), ca: trust.ca ?? [], ...(trust.trustedRoot ? { trustedRoot: trust.trustedRoot } : {}), ...keyless },
    { namespace: null, links: null, ignorePaths: options.ignorePaths ?? [], ignoreUnsignedFiles: options.ignoreUnsignedFiles ?? false, threshold: 1 },
  );
  return verifyOmsModel({
    format: 'oms',
    target: { path: modelPath, kind: statSync(modelPath).isDirectory() ? 'directory' : 'file' },
    signature: { path: signaturePath, bytes: new Uint8Array(readFileSync(signaturePath)), separate: true },
    trust: flags,
    job: {},
    hashPool: pool,
    now: options.now ?? new Date(),
  });
}

describe('OMS key method', () => {
  it.each(['p256', 'p384', 'ed25519'] as const)('verifies a model signed with an openssl %s key', async (kind) => {
    const model = freshDir({ 'config.json': '{"a":1}', 'weights/part-1.bin': 'w1', 'weights/part-2.bin': 'w2' });
    const report = await verify(model, signModel(model, keys[kind]), { keys: [keys[kind]] });
    expect(report.reasons).toEqual([expect.stringContaining('3 of 3 subject(s) checked, all match')]);
    expect(report.verdict).toBe('verified');
    expect(report.bundle.format).toBe('oms');
    expect(report.subjects.map((s) => [s.name, s.status])).toEqual([
      ['config.json', 'ok'],
      ['weights/part-1.bin', 'ok'],
      ['weights/part-2.bin', 'ok'],
    ]);
    expect(report.signatures[0]).toMatchObject({ status: 'valid', trustSource: 'flag', keyId: expect.stringMatching(/^SHA256:[A-Za-z0-9+/]{43}$/) });
  });

  it('hashes P-384 with SHA-384: a P-384 signature over SHA-256 does not verify', async () => {
    const model = freshDir({ 'w.bin': 'x' });
    const report = await verify(model, signModel(model, keys.p384, { hash: 'sha256' }), { keys: [keys.p384] });
    expect(report.verdict).toBe('untrusted');
    expect(report.signatures[0]!.status).toBe('unknown-key');
  });

  it('accepts the historical variants: rawBytes + keyDetails, keyid null or empty, v0.1 and v0.2 media types', async () => {
    const model = freshDir({ 'a.bin': 'a' });
    const der = run('openssl', ['pkey', '-pubin', '-in', keys.p256.publicPath, '-outform', 'DER']).toString('base64');
    for (const [mediaType, keyid] of [
      ['application/vnd.dev.sigstore.bundle+json;version=0.1', null],
      ['application/vnd.dev.sigstore.bundle+json;version=0.2', ''],
      ['application/vnd.dev.sigstore.bundle.v0.3+json', undefined],
    ] as const) {
      const signature = signModel(model, keys.p256, { material: { publicKey: { rawBytes: der, keyDetails: 'PKIX_ECDSA_P256_SHA_256' }, tlogEntries: [] }, keyid, mediaType, serialization: { method: 'files', hash_type: 'sha256', allow_symlinks: false } });
      const report = await verify(model, signature, { keys: [keys.p256] });
      expect(report.verdict, mediaType).toBe('verified');
    }
  });

  it('reads the v0.2.0 layout (https://model_signing/Digests/v0.1: file digests as subjects)', async () => {
    const model = freshDir({ 'a.bin': 'a', 'b.bin': 'b' });
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: specResources(model).map((r) => ({ name: r.name, digest: { sha256: r.digest } })),
      predicateType: 'https://model_signing/Digests/v0.1',
      predicate: {},
    };
    const report = await verify(model, signModel(model, keys.p256, { statement }), { keys: [keys.p256] });
    expect(report.verdict).toBe('verified');
    writeFileSync(path.join(model, 'b.bin'), 'B');
    expect((await verify(model, signModel(model, keys.p256, { statement }), { keys: [keys.p256] })).verdict).toBe('tampered');
  });

  it('never trusts the key hint: a hint naming the trusted key, signed by another key, is untrusted', async () => {
    const model = freshDir({ 'a.bin': 'a' });
    const trustedHint = createHash('sha256').update(run('openssl', ['pkey', '-pubin', '-in', keys.p256.publicPath, '-outform', 'DER'])).digest('hex');
    const signature = signModel(model, keys.attacker, { material: { publicKey: { hint: trustedHint } } });
    const report = await verify(model, signature, { keys: [keys.p256] });
    expect(report.verdict).toBe('untrusted');
    expect(report.signatures[0]).toMatchObject({ status: 'unknown-key', keyIdHint: trustedHint });
  });

  it('never trusts the embedded key: a bundle bringing its own key verifies under it, and is still untrusted', async () => {
    const model = freshDir({ 'a.bin': 'a' });
    const der = run('openssl', ['pkey', '-pubin', '-in', keys.attacker.publicPath, '-outform', 'DER']).toString('base64');
    const report = await verify(model, signModel(model, keys.attacker, { material: { publicKey: { rawBytes: der } } }), { keys: [keys.p256] });
    expect(report.verdict).toBe('untrusted');
    expect(report.signatures[0]!.reason).toContain('only under the key the bundle brings');
    const noTrust = await verify(model, signModel(model, keys.attacker, { material: { publicKey: { rawBytes: der } } }), {});
    expect(noTrust.verdict).toBe('untrusted');
  });
});

describe('OMS files and shards', () => {
  it('names the changed, missing and extra files with expected and actual digests', async () => {
    const model = freshDir({ 'a.bin': 'a', 'b.bin': 'b', 'c.bin': 'c' });
    const signature = signModel(model, keys.p256);
    writeFileSync(path.join(model, 'a.bin'), 'A');
    rmSync(path.join(model, 'b.bin'));
    writeFileSync(path.join(model, 'new.bin'), 'new');
    const report = await verify(model, signature, { keys: [keys.p256] });
    expect(report.verdict).toBe('tampered');
    const byName = new Map(report.subjects.map((s) => [s.name, s]));
    expect(byName.get('a.bin')).toMatchObject({ status: 'mismatch', expectedSha256: sha256('a'), actualSha256: sha256('A') });
    expect(byName.get('b.bin')).toMatchObject({ status: 'missing', actualSha256: null });
    expect(byName.get('c.bin')!.status).toBe('ok');
    expect(report.unexpectedBlobs).toEqual(['new.bin']);
    expect(report.reasons.join('\n')).toContain('new.bin is not signed');
  });

  it('allows an extra file with --ignore-unsigned-files, and an extra file under an ignore path', async () => {
    const model = freshDir({ 'a.bin': 'a' });
    const signature = signModel(model, keys.p256);
    writeFileSync(path.join(model, 'notes.txt'), 'n');
    expect((await verify(model, signature, { keys: [keys.p256] }, { ignoreUnsignedFiles: true })).verdict).toBe('verified');
    expect((await verify(model, signature, { keys: [keys.p256] }, { ignorePaths: ['notes.txt'] })).verdict).toBe('verified');
    expect((await verify(model, signature, { keys: [keys.p256] })).verdict).toBe('tampered');
  });

  it('matches --ignore-paths exactly from the model root, and refuses one that climbs out or globs', async () => {
    const model = freshDir({ 'a.bin': 'a' });
    const signature = signModel(model, keys.p256);
    writeModel(model, { 'cache/x': 'x', 'sub/cache/y': 'y' });
    const report = await verify(model, signature, { keys: [keys.p256] }, { ignorePaths: ['cache'] });
    expect(report.unexpectedBlobs).toEqual(['sub/cache/y']);
    for (const hostile of ['../a.bin', '/etc', 'cach*']) {
      const refused = await verify(model, signature, { keys: [keys.p256] }, { ignorePaths: [hostile] });
      expect(refused.verdict, hostile).toBe('invalid');
      expect(rangeRequests).toBe(0);
    }
  });

  it('excludes the default paths at the top level only, and the signature file inside the model', async () => {
    const model = freshDir({ 'a.bin': 'a', '.git/HEAD': 'ref', '.gitignore': '*', 'sub/.git/HEAD': 'nested' });
    const resources = specResources(model, { ignore: ['sub/.git'] });
    const signature = signModel(model, keys.p256, { resources });
    const report = await verify(model, signature, { keys: [keys.p256] });
    expect(report.unexpectedBlobs).toEqual(['sub/.git/HEAD']);
    rmSync(path.join(model, 'sub'), { recursive: true });
    const inside = path.join(model, 'model.sig');
    writeFileSync(inside, readFileSync(signature));
    expect((await verify(model, inside, { keys: [keys.p256] })).verdict).toBe('verified');
  });

  it('computes the root digest over the LISTED order, never a re-sorted one', async () => {
    const model = freshDir({ 'a/b': '1', 'a.txt': '2' });
    // model_signing lists by path components ("a/b" before "a.txt"); code-point order is the reverse.
    const listed = specResources(model).sort((x, y) => (x.name === 'a/b' ? -1 : y.name === 'a/b' ? 1 : 0));
    expect(listed.map((r) => r.name)).toEqual(['a/b', 'a.txt']);
    expect((await verify(model, signModel(model, keys.p256, { resources: listed }), { keys: [keys.p256] })).verdict).toBe('verified');
    // A root digest over the re-sorted order does not match what is listed: refused as inconsistent.
    const statement = specStatement('model', listed, SERIALIZATION) as { subject: { digest: { sha256: string } }[] };
    statement.subject[0]!.digest.sha256 = (specStatement('model', [...listed].reverse(), SERIALIZATION) as typeof statement).subject[0]!.digest.sha256;
    const report = await verify(model, signModel(model, keys.p256, { statement }), { keys: [keys.p256] });
    expect(report.verdict).toBe('invalid');
    expect(report.reasons[0]).toContain('root digest');
  });

  it('verifies sharded digests, with colons in the file name, and finds a changed shard and grown file', async () => {
    const content = Buffer.alloc(2500, 7);
    content[1500] = 9;
    const model = freshDir({ 'we:ird:0:1.bin': content, 'small.bin': 'tiny', 'empty.bin': '' });
    const resources = specResources(model, { shardSize: 1000 });
    expect(resources.map((r) => r.name)).toContain('we:ird:0:1.bin:2000:2500');
    const serialization = { method: 'shards', hash_type: 'sha256', shard_size: 1000, allow_symlinks: false };
    const signature = signModel(model, keys.p256, { resources, serialization });
    const ok = await verify(model, signature, { keys: [keys.p256] });
    expect(ok.verdict).toBe('verified');
    expect(ok.subjects.filter((s) => s.blobPath === 'we:ird:0:1.bin')).toHaveLength(3);

    content[1500] = 8;
    writeFileSync(path.join(model, 'we:ird:0:1.bin'), content);
    const changed = await verify(model, signature, { keys: [keys.p256] });
    expect(changed.subjects.filter((s) => s.status === 'mismatch').map((s) => s.name)).toEqual(['we:ird:0:1.bin:1000:2000']);

    writeFileSync(path.join(model, 'small.bin'), 'tiny plus more');
    const grown = await verify(model, signature, { keys: [keys.p256] });
    expect(grown.verdict).toBe('tampered');
    expect(grown.subjects.find((s) => s.blobPath === 'small.bin')!.reason).toContain('in no signed shard');
  });

  it('verifies blake2b digests (blake2b-512)', async () => {
    const model = freshDir({ 'a.bin': 'a', 'b.bin': 'b' });
    const resources = specResources(model, { hashType: 'blake2b' });
    const signature = signModel(model, keys.ed25519, { resources, serialization: { method: 'files', hash_type: 'blake2b', allow_symlinks: false } });
    expect((await verify(model, signature, { keys: [keys.ed25519] })).verdict).toBe('verified');
    writeFileSync(path.join(model, 'a.bin'), 'z');
    const report = await verify(model, signature, { keys: [keys.ed25519] });
    expect(report.subjects[0]).toMatchObject({ status: 'mismatch', digestAlgorithm: 'blake2b', actualDigest: createHash('blake2b512').update('z').digest('hex') });
  });

  it('verifies a single-file model, whose resource is named "." or by its file name', async () => {
    const model = freshDir({ 'model.onnx': 'onnx bytes' });
    const file = path.join(model, 'model.onnx');
    const digest = sha256('onnx bytes');
    for (const name of ['.', 'model.onnx']) {
      const signature = signModel(model, keys.p256, { resources: [{ name, algorithm: 'sha256', digest }] });
      expect((await verify(file, signature, { keys: [keys.p256] })).verdict, name).toBe('verified');
    }
    writeFileSync(file, 'changed');
    const signature = signModel(model, keys.p256, { resources: [{ name: '.', algorithm: 'sha256', digest }] });
    expect((await verify(file, signature, { keys: [keys.p256] })).verdict).toBe('tampered');
  });
});

describe('OMS refusals: nothing is read', () => {
  const hostileNames = [
    ['..', '../outside.bin'],
    ['absolute', '/etc/hostname'],
    ['nested ..', 'sub/../../outside.bin'],
  ] as const;

  it.each(hostileNames)('refuses a %s resource name before reading anything, with or without --ignore-unsigned-files', async (_label, name) => {
    const model = freshDir({ 'a.bin': 'a' });
    writeFileSync(path.join(path.dirname(model), 'outside.bin'), 'secret');
    const signature = signModel(model, keys.p256, { resources: [{ name, algorithm: 'sha256', digest: sha256('secret') }] });
    for (const ignoreUnsignedFiles of [false, true]) {
      const report = await verify(model, signature, { keys: [keys.p256] }, { ignoreUnsignedFiles });
      expect(report.verdict).toBe('invalid');
      expect(report.reasons[0]).toContain('refused before reading anything');
      expect(rangeRequests).toBe(0);
    }
  });

  it('refuses a resource that is a symlink, or reached through one, before reading anything', async () => {
    const model = freshDir({ 'a.bin': 'a' });
    const outside = path.join(path.dirname(model), 'outside');
    writeModel(outside, { 'secret.bin': 'secret' });
    symlinkSync(path.join(outside, 'secret.bin'), path.join(model, 'link.bin'));
    symlinkSync(outside, path.join(model, 'linkdir'));
    for (const name of ['link.bin', 'linkdir/secret.bin']) {
      const signature = signModel(model, keys.p256, { resources: [{ name, algorithm: 'sha256', digest: sha256('secret') }] });
      for (const ignoreUnsignedFiles of [false, true]) {
        const report = await verify(model, signature, { keys: [keys.p256] }, { ignoreUnsignedFiles });
        expect(report.verdict, name).toBe('invalid');
        expect(report.reasons[0]).toContain('symbolic link');
        expect(rangeRequests).toBe(0);
      }
    }
  });

  it('refuses an empty resource list', async () => {
    const model = freshDir({ 'a.bin': 'a' });
    const report = await verify(model, signModel(model, keys.p256, { resources: [] }), { keys: [keys.p256] });
    expect(report.verdict).toBe('invalid');
    expect(report.reasons[0]).toContain('lists no file');
  });

  it.each([
    ['not JSON', 'model.sig is not json'],
    ['a duplicate key', '{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","mediaType":"x"}'],
    ['deep nesting', '['.repeat(100_000) + ']'.repeat(100_000)],
    ['a wrong media type', '{"mediaType":"application/json","verificationMaterial":{},"dsseEnvelope":{}}'],
    ['no envelope', '{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{"hint":"x"}}}'],
    ['a non-base64 payload', '{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{}},"dsseEnvelope":{"payload":"%%%","payloadType":"application/vnd.in-toto+json","signatures":[{"sig":"AA=="}]}}'],
    ['a __proto__ payload', `{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{}},"dsseEnvelope":{"payload":"${Buffer.from('{"__proto__":{"x":1}}').toString('base64')}","payloadType":"application/vnd.in-toto+json","signatures":[{"sig":"AA=="}]}}`],
  ])('refuses hostile JSON: %s', async (_label, text) => {
    const model = freshDir({ 'a.bin': 'a' });
    const signature = path.join(path.dirname(model), 'model.sig');
    writeFileSync(signature, text);
    const report = await verify(model, signature, { keys: [keys.p256] });
    expect(report.verdict).toBe('invalid');
    expect(report.reasons[0]).toMatch(/malformed|not an OMS|refused/);
    expect(rangeRequests).toBe(0);
  });

  it('refuses a keyless (Fulcio) bundle without a trusted root, whatever --ca says', async () => {
    const model = freshDir({ 'a.bin': 'a' });
    const ca = makeTestCa(work, 'p256', { name: 'keyless' });
    const signature = signModel(model, ca.leafKey, { material: { certificate: { rawBytes: ca.chainDer[0] }, tlogEntries: [] } });
    const report = await verify(model, signature, { ca: [ca.rootPath] });
    expect(report.verdict).toBe('invalid');
    expect(report.reasons[0]).toContain('give --trusted-root');
    expect(rangeRequests).toBe(0);
  });
});

describe('OMS sigstore (keyless) method', () => {
  const world = makeKeylessWorld();
  function keylessModel(files: Record<string, string>, leaf = world.leaf()): { model: string; signature: string } {
    const model = freshDir(files);
    const statement = specStatement(path.basename(model), specResources(model), SERIALIZATION);
    const signature = path.join(path.dirname(model), 'model.sig');
    writeFileSync(signature, keylessDsseBundle(world, leaf, statement));
    return { model, signature };
  }

  it('verifies a model signed keyless by the trusted identity, with the transparency proofs in the report', async () => {
    const { model, signature } = keylessModel({ 'a.bin': 'a', 'b.bin': 'b' });
    const report = await verify(model, signature, { trustedRoot: world.writeTrustedRoot(work), identity: ALICE });
    expect(report.verdict).toBe('verified');
    expect(report.bundle.format).toBe('oms');
    expect(report.signatures[0]).toMatchObject({ status: 'valid', signerName: 'alice@example.test (issuer https://issuer.example.test)', trustSource: 'flag' });
    expect(report.transparency?.proofsChecked).toEqual(expect.arrayContaining(['fulcio-chain', 'sct', 'inclusion-proof']));
    expect(report.subjects.map((subject) => subject.status)).toEqual(['ok', 'ok']);
  });

  it('names the changed file under a keyless signature (tampered), and trusts another identity not at all', async () => {
    const { model, signature } = keylessModel({ 'a.bin': 'a', 'b.bin': 'b' });
    writeFileSync(path.join(model, 'b.bin'), 'B');
    const changed = await verify(model, signature, { trustedRoot: world.writeTrustedRoot(work), identity: ALICE });
    expect(changed.verdict).toBe('tampered');
    expect(changed.reasons.join(' ')).toContain('b.bin changed');
    const other = keylessModel({ 'a.bin': 'a' });
    const stranger = await verify(other.model, other.signature, { trustedRoot: world.writeTrustedRoot(work), identity: { ...ALICE, identity: 'mallory@example.test' } });
    expect(stranger.verdict).toBe('untrusted');
    expect(stranger.signatures[0]!.reason).toContain('expected "mallory@example.test"');
  });

  it('is untrusted when the Fulcio certificate is not for code signing', async () => {
    const { model, signature } = keylessModel({ 'a.bin': 'a' }, world.leaf({ extendedKeyUsage: ['1.3.6.1.5.5.7.3.1'] }));
    const report = await verify(model, signature, { trustedRoot: world.writeTrustedRoot(work), identity: ALICE });
    expect(report.verdict).toBe('untrusted');
    expect(report.signatures[0]!.reason).toContain('not for code signing');
  });
});

describe('OMS certificate method', () => {
  it('verifies a leaf that chains through the bundle intermediate to the --ca root, and refuses another root', async () => {
    const ca = makeTestCa(work, 'p384', { name: 'good' });
    const other = makeTestCa(work, 'p256', { name: 'other' });
    const model = freshDir({ 'a.bin': 'a' });
    const signature = signModel(model, ca.leafKey, { material: { x509CertificateChain: { certificates: ca.chainDer.map((rawBytes) => ({ rawBytes })) }, tlogEntries: [] } });
    const good = await verify(model, signature, { ca: [ca.rootPath] });
    expect(good.verdict).toBe('verified');
    expect(good.signatures[0]!.signerName).toContain('signer@example.test');
    const wrongRoot = await verify(model, signature, { ca: [other.rootPath] });
    expect(wrongRoot.verdict).toBe('untrusted');
    expect(wrongRoot.signatures[0]!.reason).toContain('not trusted');
    // The root's key given as --key is not the signer: certificates need --ca.
    expect((await verify(model, signature, { keys: [ca.leafKey] })).verdict).toBe('untrusted');
  });

  it('refuses a leaf whose extended key usage does not allow code signing', async () => {
    const ca = makeTestCa(work, 'p256', { name: 'server', leafEku: 'serverAuth' });
    const model = freshDir({ 'a.bin': 'a' });
    const signature = signModel(model, ca.leafKey, { material: { x509CertificateChain: { certificates: ca.chainDer.map((rawBytes) => ({ rawBytes })) } } });
    const report = await verify(model, signature, { ca: [ca.rootPath] });
    expect(report.verdict).toBe('untrusted');
    expect(report.signatures[0]!.reason).toContain('code signing');
  });
});

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

// The OMS spec's published certificate-method test vector (ossf model-signing-spec,
// test-vectors/v1.0/valid/certificate.bundle.json): a P-384 leaf signature, hashed with SHA-384,
// over the two-file conformance model `simple` (signme-1, signme-2, and ignore-me left out).
// Only the vector's values are copied, to show that a P-384 OMS signature from the reference
// producer verifies here (sigstore-js hashes it with SHA-256 and refuses it).
const SPEC_VECTOR = {
  leafCertificate:
    'MIIDDDCCAXSgAwIBAgIUblNG5LBtNM+Xg4avMF8lrv8LZ1UwDQYJKoZIhvcNAQELBQAwGjEYMBYGA1UEAxMPaW50ZXJtZWRpYXRlLWNhMB4XDTI1MDUwMjIzMzYyOFoXDTM1MDQzMDIzMzYyOFowGjEYMBYGA1UEAxMPaW50ZXJtZWRpYXRlLWNhMHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEsu6rZGBTjxtvRWPMixT+3HyndV0J0YbtaHZUcO4DEK+OJHO/4e32bb/fbJKSpRgcBsIpKLcVijUomyFOERbd7u+BTPSUjGZDQq6J7lTvp/EAXQGOKxW9RP0MGX3qAkvio3gwdjAPBgNVHRMBAf8EBTADAQH/MBMGA1UdJQQMMAoGCCsGAQUFBwMDMA4GA1UdDwEB/wQEAwIHgDAdBgNVHQ4EFgQUGV7tAU7upBa+IVpuvDtUidPhKs8wHwYDVR0jBBgwFoAU8Y+MvYW26MAbiuYGhdsWnumU0zIwDQYJKoZIhvcNAQELBQADggGBAGXV0hCrcexX7mtcyP85ACBNSUVH7lNcUenan4DJevw4KbK22c/taf+VG/QLZ7/08AbsoHfhlpBSgTidg/62e6Cu8PISDFT67Kw1AnOCBynKYabWopCvNey++yu7sXg6IDHMb5ePKPFLOY4WhI5febcFeTxBKjMo/Il1gTzVwVK45QoWliTIqxBlFS2DUe4NODNwysLpFr6oeQsP2oRMow1BG1UbCzmn+NGCKOXpQOCdFd0epASoMxZrk8ZEtLPRctcMeb7prfVX6QK5YFZMNMCU0FFci/f8RT11VFdfj8nNXi/6t/aOSZo45Q4TVMi2FijA/jAnykGiNgn1IaCNSQ5Z5xXSwCJp8KjsqVZgv6yjPO62Oj2pR1OxdhYE06YqwwD3dVkQ/+6O/ygqeWACqHXBnMVnPawhxbzBkovWg3lMfbShq9IktAGa7LM0tBvSs3R02zGFD6OaD93hJXEIRJf97/NWpCl7FXspLyfpJVnAtBd1g6DOyBHVkaNxoSWzAw==',
  intermediateCertificate:
    'MIIEHTCCAoWgAwIBAgIUSd+dJ4nS63JskKys4/XmTtBri4UwDQYJKoZIhvcNAQELBQAwEjEQMA4GA1UEAxMHcm9vdC1jYTAeFw0yNTA1MDIyMzM2MjhaFw0zNTA0MzAyMzM2MjhaMBoxGDAWBgNVBAMTD2ludGVybWVkaWF0ZS1jYTCCAaIwDQYJKoZIhvcNAQEBBQADggGPADCCAYoCggGBAK7LNuadUjxuZH0rAim9ev3TvR4uSix9mKtHHqwzz3zPXuQXzwJ5Wy7GfXNds+aVD4Bwv5NQQHWdTAlZT+7K0CiMIPozRDTVWQKYZZwyCM4km6eZKDHxzLkm3fLDd56a1ISV4+ERZsS+DWV3Y9ukZPx9doa1XGLd3oq8o4/TwmNAL+rM0npxgegEYYX2DGnqHYiFkS+FdjKIRycFh+dyR6qW5IZ5FW4FMt4WynrMp7jWaiLnphyRs+6Xs+zTo3c+dLS82qlLCBkrI1AREx87y4nAnFMPtVi9+2f76YZ9ABykovUY6ddFKCFplD4lkvc+klhFi6DSq3sDZb06gTDV/cl9p2hc8jCF9SYVPhkRSHSBO/XhojOjQ4ZuNFCyCfaz1KPqK8/hK0OvMh43ZNcyiKy4GYaLQsRl2diOS8O04Ak0+twoKfo7fw5hTYuQ8sc3/8B54W3aOael/730Jko8YeQfl1E2Y10Iyhf6ZbBDwWjs9JcOAXZVMTw+1RCW8mwSfwIDAQABo2MwYTAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwICBDAdBgNVHQ4EFgQU8Y+MvYW26MAbiuYGhdsWnumU0zIwHwYDVR0jBBgwFoAUEELDx1e2M0ueamhpxKFPLWXvjaUwDQYJKoZIhvcNAQELBQADggGBAIUEX+jqSQu1gu6OUWegIBt3g//DkazkR76tQKf+BYb9QixNbHA9DvmK9r76tfedq4fFnVKeFbhAqWy+waIDVLZsKWiOj3cIeOon/oZCK3hGtK4q36h0yMsy6AQkfNXjIAFgGhIGEQcDq0kgDmdHutHPxjPu77DmMdT0DIczJYKQJpfrs8Al0xiDmdVEsmbRnd9RyI+bcPc9bfkRkOuRIAwt6IIWgA1gEFSTtRaTxjXfRIdmz2A0MTpYLNTEvPdsDdxzhTVZelNI582rhWc/MaXcX5xULbsGJyWobtXcBZfb/9IJi9MBtWWp/t5+/PCuIWVHgG8MtnI0EdBXIiTcLH/XJMrRGrvjZW20nyD2nZl5L+qeDGkpSfGJ6dBVaDuVliSAj0emondZobXI/ypntpxqtWquZCkbBMQ69dUWE3vIh1aQpleSrAvbukZBzvk5FXfVF2T6/TY7HQjUcuURpoAnMtwM8FwrBixFhKGlRpFJjdIVUerT1RrZkvHO5qlgHg==',
  payload:
    'ewogICJfdHlwZSI6ICJodHRwczovL2luLXRvdG8uaW8vU3RhdGVtZW50L3YxIiwKICAic3ViamVjdCI6IFsKICAgIHsKICAgICAgIm5hbWUiOiAibW9kZWwiLAogICAgICAiZGlnZXN0IjogewogICAgICAgICJzaGEyNTYiOiAiOTI3NDUxMTBiMWFiNDM2ODQ3MWNiZTMxNjY0ZTEwMTc0ZTk1NGIxMTNhM2RmMzMzZGI4NjAzMTdiMmM2ZGVjNCIKICAgICAgfQogICAgfQogIF0sCiAgInByZWRpY2F0ZVR5cGUiOiAiaHR0cHM6Ly9tb2RlbF9zaWduaW5nL3NpZ25hdHVyZS92MS4wIiwKICAicHJlZGljYXRlIjogewogICAgInJlc291cmNlcyI6IFsKICAgICAgewogICAgICAgICJkaWdlc3QiOiAiYmM5YTcxN2RiNjA2NGEzMmNiZTllYWU2ZmM0MDY1MWRkNmQzNmVmMTc1NzE4M2Y1OTBlZmYyYjE3NjVkN2ViYyIsCiAgICAgICAgImFsZ29yaXRobSI6ICJzaGEyNTYiLAogICAgICAgICJuYW1lIjogInNpZ25tZS0xIgogICAgICB9LAogICAgICB7CiAgICAgICAgImRpZ2VzdCI6ICIzMmRjYjFmOGUxYWU1MmQ1OTYzZTU2YTZiYTA2YWI1OGI0MjRjMTVlZDJhNmI3MGQyZmVjYTFkMDg5MzcwMDI4IiwKICAgICAgICAiYWxnb3JpdGhtIjogInNoYTI1NiIsCiAgICAgICAgIm5hbWUiOiAic2lnbm1lLTIiCiAgICAgIH0KICAgIF0sCiAgICAic2VyaWFsaXphdGlvbiI6IHsKICAgICAgIm1ldGhvZCI6ICJmaWxlcyIsCiAgICAgICJpZ25vcmVfcGF0aHMiOiBbCiAgICAgICAgIi5naXQiLAogICAgICAgICIuZ2l0aWdub3JlIiwKICAgICAgICAiLmdpdGh1YiIsCiAgICAgICAgImlnbm9yZS1tZSIsCiAgICAgICAgIi5naXRhdHRyaWJ1dGVzIgogICAgICBdLAogICAgICAiaGFzaF90eXBlIjogInNoYTI1NiIsCiAgICAgICJhbGxvd19zeW1saW5rcyI6IGZhbHNlCiAgICB9CiAgfQp9',
  signature: 'MGYCMQDUN6tD25qxghxyW9Xg2/UUlYstBZCJGskEjMFFS0ZZADs6ieZCS10Hd3I9flsZey8CMQDWNYgqJzPxjpuzOlgRYkvGqt3VtP7rIxednz43U0TWRagFGedLmA+MbEXaOx/ZKJ4=',
  /** The digests the vector publishes: signme-1, signme-2, and the root digest over both. */
  digests: {
    'signme-1': 'bc9a717db6064a32cbe9eae6fc40651dd6d36ef1757183f590eff2b1765d7ebc',
    'signme-2': '32dcb1f8e1ae52d5963e56a6ba06ab58b424c15ed2a6b70d2feca1d089370028',
    root: '92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4',
  },
};

describe('the OMS spec test vector', () => {
  function vectorModel(): { model: string; signature: string; anchor: string } {
    const model = freshDir({ 'signme-1': 'signme-1\n', 'signme-2': 'signme-2', 'ignore-me': 'not signed' });
    const signature = path.join(path.dirname(model), 'model.sig');
    writeFileSync(
      signature,
      JSON.stringify({
        mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
        verificationMaterial: { x509CertificateChain: { certificates: [{ rawBytes: SPEC_VECTOR.leafCertificate }, { rawBytes: SPEC_VECTOR.intermediateCertificate }] }, tlogEntries: [] },
        dsseEnvelope: { payload: SPEC_VECTOR.payload, payloadType: 'application/vnd.in-toto+json', signatures: [{ sig: SPEC_VECTOR.signature, keyid: '' }] },
      }),
    );
    // The vector's root CA is not published with it: its intermediate stands as the trust anchor.
    const anchor = path.join(path.dirname(model), 'intermediate.pem');
    writeFileSync(anchor, `-----BEGIN CERTIFICATE-----\n${SPEC_VECTOR.intermediateCertificate.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`);
    return { model, signature, anchor };
  }

  it('our producer computes the published digests from the same files', () => {
    const { model } = vectorModel();
    const resources = specResources(model, { ignore: ['ignore-me'] });
    expect(resources.map((r) => [r.name, r.digest])).toEqual([
      ['signme-1', SPEC_VECTOR.digests['signme-1']],
      ['signme-2', SPEC_VECTOR.digests['signme-2']],
    ]);
    expect((specStatement('model', resources, SERIALIZATION) as { subject: { digest: { sha256: string } }[] }).subject[0]!.digest.sha256).toBe(SPEC_VECTOR.digests.root);
  });

  it('verifies the P-384 vector (SHA-384), and names a changed file in its model', async () => {
    const { model, signature, anchor } = vectorModel();
    const report = await verify(model, signature, { ca: [anchor] }, { now: new Date('2026-01-01T00:00:00Z') });
    expect(report.reasons).toEqual([expect.stringContaining('2 of 2 subject(s) checked, all match')]);
    expect(report.verdict).toBe('verified');
    writeFileSync(path.join(model, 'signme-2'), 'signme-2 changed');
    const tampered = await verify(model, signature, { ca: [anchor] }, { now: new Date('2026-01-01T00:00:00Z') });
    expect(tampered.verdict).toBe('tampered');
    expect(tampered.subjects.find((s) => s.name === 'signme-2')).toMatchObject({ status: 'mismatch', expectedSha256: SPEC_VECTOR.digests['signme-2'] });
  });

  it('refuses the vector at a time outside its certificates\' validity', async () => {
    const { model, signature, anchor } = vectorModel();
    const report = await verify(model, signature, { ca: [anchor] }, { now: new Date('2036-01-01T00:00:00Z') });
    expect(report.verdict).toBe('untrusted');
    expect(report.signatures[0]!.reason).toContain('expired');
  });
});
