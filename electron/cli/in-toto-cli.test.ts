import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { envelopeMetadata, kitKey, layoutSigned, linkSigned, makeKey, signMetadata, writeLink, type KitKey, type StepSpec } from '../services/foreign/in-toto/in-toto-test-kit';
import { reportOf, runCli } from './foreign-test-kit';

let work: string;
let counter = 0;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-in-toto-cli-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

interface Case {
  dir: string;
  workDir: string;
  links: string;
  layout: string;
  ownerPub: string;
}

function newCase(owner: KitKey): Case {
  const dir = path.join(work, `case-${++counter}`);
  const c = { dir, workDir: path.join(dir, 'work'), links: path.join(dir, 'links'), layout: path.join(dir, 'root.layout'), ownerPub: path.join(dir, 'owner.pub') };
  fs.mkdirSync(c.workDir, { recursive: true });
  fs.mkdirSync(c.links);
  fs.writeFileSync(c.ownerPub, `${owner.publicPem}\n`);
  return c;
}

const verifyCli = (c: Case, ...extra: string[]) => runCli(work, 'verify', c.workDir, '--format', 'in-toto', '--layout', c.layout, '--links', c.links, '--key', c.ownerPub, '--json', ...extra);

function steps(write: KitKey, build: KitKey, buildThreshold = 1, extraBuildKeys: KitKey[] = []): StepSpec[] {
  return [
    { name: 'write', keys: [write], products: [['CREATE', 'src.txt'], ['DISALLOW', '*']] },
    {
      name: 'build',
      keys: [build, ...extraBuildKeys],
      threshold: buildThreshold,
      materials: [['MATCH', 'src.txt', 'WITH', 'PRODUCTS', 'FROM', 'write'], ['DISALLOW', '*']],
      products: [['CREATE', 'out.bin'], ['ALLOW', 'src.txt'], ['DISALLOW', '*']],
    },
  ];
}

describe('countersign verify --format in-toto (fixtures made with node:crypto)', () => {
  const owner = makeKey('ed25519');
  const writer = makeKey('ecdsa-p256');
  const builder = makeKey('ed25519');

  function goodCase(): Case {
    const c = newCase(owner);
    fs.writeFileSync(path.join(c.workDir, 'src.txt'), 'source');
    fs.writeFileSync(path.join(c.workDir, 'out.bin'), 'built');
    writeLink(c.links, 'write', writer, linkSigned('write', {}, { 'src.txt': 'source' }));
    writeLink(c.links, 'build', builder, linkSigned('build', { 'src.txt': 'source' }, { 'src.txt': 'source', 'out.bin': 'built' }));
    fs.writeFileSync(c.layout, signMetadata(layoutSigned(steps(writer, builder)), [owner]));
    return c;
  }

  it('exit 0 verified, with the functionaries and products in the JSON report', async () => {
    const run = await verifyCli(goodCase());
    expect(run.code).toBe(0);
    const report = reportOf(run);
    expect(report).toMatchObject({ verdict: 'verified', bundle: { format: 'in-toto', container: 'directory' } });
    expect(report.subjects.map((s: { name: string; status: string }) => `${s.name}:${s.status}`).sort()).toEqual(['out.bin:ok', 'src.txt:ok']);
    expect(report.signatures.map((s: { signerName: string }) => s.signerName)).toContain(`step build, functionary ${builder.keyid}`);
  });

  it('exit 1 when a product changed on disk after signing, and when the layout expired', async () => {
    const changed = goodCase();
    fs.writeFileSync(path.join(changed.workDir, 'out.bin'), 'swapped');
    const run = await verifyCli(changed);
    expect(run.code).toBe(1);
    expect(reportOf(run).verdict).toBe('tampered');

    const expired = goodCase();
    fs.writeFileSync(expired.layout, signMetadata(layoutSigned(steps(writer, builder), { expires: '2021-06-01T00:00:00Z' }), [owner]));
    const old = await verifyCli(expired);
    expect(old.code).toBe(1);
    expect(reportOf(old).verdict).toBe('untrusted');
  });

  it('reads a layout in a DSSE envelope as in-toto without --format (exit 0), and finds it edited (exit 1)', async () => {
    const c = goodCase();
    fs.writeFileSync(c.layout, envelopeMetadata(layoutSigned(steps(writer, builder)), [owner]));
    const run = await runCli(work, 'verify', c.workDir, '--layout', c.layout, '--links', c.links, '--key', c.ownerPub, '--json');
    expect(run.code).toBe(0);
    expect(reportOf(run).bundle.format).toBe('in-toto');
    const edited = JSON.parse(fs.readFileSync(c.layout, 'utf8')) as { payload: string }; // eslint-disable-line no-restricted-syntax -- the envelope this test wrote
    edited.payload = Buffer.from(Buffer.from(edited.payload, 'base64').toString().replace('2099', '2098')).toString('base64');
    fs.writeFileSync(c.layout, JSON.stringify(edited));
    const changed = await verifyCli(c);
    expect(changed.code).toBe(1);
    expect(reportOf(changed).verdict).toBe('tampered');
  });

  it('exit 2 on a hostile layout, and on usage without --links', async () => {
    const hostile = goodCase();
    const layout = layoutSigned([{ ...steps(writer, builder)[0]!, name: '../escape' }]);
    fs.writeFileSync(hostile.layout, signMetadata(layout, [owner]));
    const run = await verifyCli(hostile);
    expect(run.code).toBe(2);
    expect(reportOf(run).verdict).toBe('invalid');

    const c = goodCase();
    const usage = await runCli(work, 'verify', c.workDir, '--format', 'in-toto', '--layout', c.layout, '--key', c.ownerPub);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--links');
  });
});

const hasInToto = spawnSync('in-toto-verify', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasInToto) console.warn('in-toto-cli.test: Debian’s in-toto tools (in-toto-run, in-toto-verify) are not installed: the comparison with in-toto-verify is skipped (apt-get install in-toto).');

describe.skipIf(!hasInToto)('agreement with in-toto-verify on links made by in-toto-run', () => {
  function opensslRsa(dir: string, name: string): { pem: string; pub: string; key: KitKey } {
    const pem = path.join(dir, `${name}.pem`);
    const pub = path.join(dir, `${name}.pub`);
    execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', pem], { stdio: 'pipe' });
    execFileSync('openssl', ['pkey', '-in', pem, '-pubout', '-out', pub], { stdio: 'pipe' });
    return { pem, pub, key: kitKey('rsa', createPrivateKey(fs.readFileSync(pem))) };
  }

  function toolCase(options: { extraProduct?: boolean } = {}) {
    const owner = opensslRsa(work, `owner-${counter + 1}`);
    const c = newCase(owner.key);
    const write = opensslRsa(c.dir, 'write');
    const build = opensslRsa(c.dir, 'build');
    const run = (name: string, key: string, args: string[], command: string) =>
      execFileSync('in-toto-run', ['-n', name, '-k', key, '-d', c.links, ...args, '--', 'sh', '-c', command], { cwd: c.workDir, stdio: 'pipe' });
    run('write', write.pem, ['-p', 'src.txt'], 'echo source > src.txt');
    run('build', build.pem, ['-m', 'src.txt', '-p', 'src.txt', 'out.bin', ...(options.extraProduct ? ['extra.sh'] : [])], `cp src.txt out.bin${options.extraProduct ? ' && echo evil > extra.sh' : ''}`);
    return { c, owner, write, build };
  }

  const inTotoVerify = (c: Case, ownerPub: string) =>
    spawnSync('in-toto-verify', ['--layout', c.layout, '--layout-keys', ownerPub, '--key-types', 'rsa', '--link-dir', c.links], { cwd: c.dir, stdio: 'pipe' }).status;

  // RSA keys and a Python start per tool run: slow on a loaded machine, so a generous limit (not a timing check).
  it('both verify a good supply chain; both refuse a DISALLOW violation, a wrong owner key and a threshold not met', { timeout: 240_000 }, async () => {
    const good = toolCase();
    fs.writeFileSync(good.c.layout, signMetadata(layoutSigned(steps(good.write.key, good.build.key)), [good.owner.key]));
    expect(inTotoVerify(good.c, good.owner.pub)).toBe(0);
    expect((await verifyCli(good.c)).code).toBe(0);

    const disallowed = toolCase({ extraProduct: true });
    fs.writeFileSync(disallowed.c.layout, signMetadata(layoutSigned(steps(disallowed.write.key, disallowed.build.key)), [disallowed.owner.key]));
    expect(inTotoVerify(disallowed.c, disallowed.owner.pub)).not.toBe(0);
    expect((await verifyCli(disallowed.c)).code).toBe(1);

    const wrongOwner = toolCase();
    fs.writeFileSync(wrongOwner.c.layout, signMetadata(layoutSigned(steps(wrongOwner.write.key, wrongOwner.build.key)), [wrongOwner.write.key]));
    expect(inTotoVerify(wrongOwner.c, wrongOwner.owner.pub)).not.toBe(0);
    expect((await verifyCli(wrongOwner.c)).code).toBe(1);

    const threshold = toolCase();
    fs.writeFileSync(threshold.c.layout, signMetadata(layoutSigned(steps(threshold.write.key, threshold.build.key, 2, [threshold.owner.key])), [threshold.owner.key]));
    expect(inTotoVerify(threshold.c, threshold.owner.pub)).not.toBe(0);
    expect((await verifyCli(threshold.c)).code).toBe(1);
  });

  // RSA keys and a Python start per tool run: slow on a loaded machine, so a generous limit (not a timing check).
  it('goes further than in-toto-verify: a product changed on disk after in-toto-run signed it', { timeout: 240_000 }, async () => {
    const changed = toolCase();
    fs.writeFileSync(changed.c.layout, signMetadata(layoutSigned(steps(changed.write.key, changed.build.key)), [changed.owner.key]));
    fs.writeFileSync(path.join(changed.c.workDir, 'out.bin'), 'replaced\n');
    expect(inTotoVerify(changed.c, changed.owner.pub)).toBe(0);
    const run = await verifyCli(changed.c);
    expect(run.code).toBe(1);
    expect(reportOf(run).subjects.find((s: { name: string }) => s.name === 'out.bin').status).toBe('mismatch');
  });
});
