// For tests: an OMS producer written from the spec (ossf model-signing-spec v1.0 §5-§6), signing
// with keys and certificates made by openssl. It writes exactly what the spec prescribes, so a
// verifier tested against it is tested against the spec, and against the spec's own published
// digests where the tests compare them.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync, type Dirent } from 'node:fs';
import path from 'node:path';

export type ProducerKey = 'p256' | 'p384' | 'p521' | 'ed25519';

export interface OpensslKeyPair {
  kind: ProducerKey;
  privatePath: string;
  publicPath: string;
}

export function run(command: string, args: string[], input?: Uint8Array): Buffer {
  return execFileSync(command, args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}

export function makeOpensslKey(dir: string, name: string, kind: ProducerKey): OpensslKeyPair {
  const privatePath = path.join(dir, `${name}.key`);
  const publicPath = path.join(dir, `${name}.pub`);
  const curve = { p256: 'P-256', p384: 'P-384', p521: 'P-521' } as const;
  if (kind === 'ed25519') run('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', privatePath]);
  else run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve[kind]}`, '-out', privatePath]);
  run('openssl', ['pkey', '-in', privatePath, '-pubout', '-out', publicPath]);
  return { kind, privatePath, publicPath };
}

/** Signs with the openssl CLI: ECDSA (DER) hashed as the curve wants, or pure Ed25519. */
export function opensslSign(key: Pick<OpensslKeyPair, 'kind' | 'privatePath'>, message: Uint8Array, dir: string, hash?: string): Buffer {
  const messagePath = path.join(dir, `message-${process.hrtime.bigint()}.bin`);
  writeFileSync(messagePath, message);
  if (key.kind === 'ed25519') return run('openssl', ['pkeyutl', '-sign', '-rawin', '-inkey', key.privatePath, '-in', messagePath]);
  const curveHash = hash ?? { p256: 'sha256', p384: 'sha384', p521: 'sha512' }[key.kind];
  return run('openssl', ['dgst', `-${curveHash}`, '-sign', key.privatePath, messagePath]);
}

export interface SpecResource {
  name: string;
  algorithm: string;
  digest: string;
}

/** Resources of a model directory as the spec builds them (files or shards), sorted by code point. */
export function specResources(modelDir: string, options: { hashType?: 'sha256' | 'blake2b'; shardSize?: number; ignore?: string[] } = {}): SpecResource[] {
  const hashType = options.hashType ?? 'sha256';
  const nodeHash = hashType === 'blake2b' ? 'blake2b512' : 'sha256';
  const ignore = new Set(['.git', '.gitattributes', '.github', '.gitignore', ...(options.ignore ?? [])]);
  const files: string[] = [];
  const walk = (relative: string): void => {
    for (const dirent of readdirSorted(path.join(modelDir, relative))) {
      const name = relative === '' ? dirent.name : `${relative}/${dirent.name}`;
      if (relative === '' && ignore.has(dirent.name)) continue;
      if (ignore.has(name)) continue;
      if (dirent.isDirectory()) walk(name);
      else if (dirent.isFile()) files.push(name);
    }
  };
  walk('');
  const resources: SpecResource[] = [];
  for (const file of files) {
    const bytes = readFileSync(path.join(modelDir, file));
    if (options.shardSize === undefined) {
      resources.push({ name: file, algorithm: hashType, digest: createHash(nodeHash).update(bytes).digest('hex') });
      continue;
    }
    for (let start = 0; start < bytes.length; start += options.shardSize) {
      const end = Math.min(start + options.shardSize, bytes.length);
      resources.push({ name: `${file}:${start}:${end}`, algorithm: hashType, digest: createHash(nodeHash).update(bytes.subarray(start, end)).digest('hex') });
    }
  }
  return resources.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function readdirSorted(dir: string): Dirent[] {
  return readdirSync(dir, { withFileTypes: true });
}

/** The in-toto statement of OMS §6.6, with the root digest of §6.5.1 over the resources as given. */
export function specStatement(modelName: string, resources: readonly SpecResource[], serialization: Record<string, unknown>): Record<string, unknown> {
  const root = createHash('sha256');
  for (const resource of resources) root.update(Buffer.from(resource.digest, 'hex'));
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: modelName, digest: { sha256: root.digest('hex') } }],
    predicateType: 'https://model_signing/signature/v1.0',
    predicate: { resources, serialization },
  };
}

export function dssePae(payloadType: string, payload: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(payloadType)} ${payloadType} ${payload.length} `), payload]);
}

export type VerificationMaterial = Record<string, unknown>;

/** A v0.3 Sigstore bundle around a DSSE envelope of the statement, signed by `sign`. */
export function specBundle(statement: unknown, material: VerificationMaterial, sign: (pae: Buffer) => Buffer, options: { mediaType?: string; keyid?: string | null } = {}): string {
  const payload = Buffer.from(JSON.stringify(statement, null, 2));
  const payloadType = 'application/vnd.in-toto+json';
  const sig = sign(dssePae(payloadType, payload));
  const signature: Record<string, unknown> = { sig: sig.toString('base64') };
  if (options.keyid !== undefined) signature['keyid'] = options.keyid;
  return JSON.stringify({
    mediaType: options.mediaType ?? 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: material,
    dsseEnvelope: { payload: payload.toString('base64'), payloadType, signatures: [signature] },
  });
}

export function writeModel(dir: string, files: Record<string, string | Buffer>): string {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, ...name.split('/'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return dir;
}

export interface TestCa {
  rootPath: string;
  intermediatePath: string;
  leafPath: string;
  leafKey: OpensslKeyPair;
  /** Base64 DER of leaf and intermediate, as x509CertificateChain wants them. */
  chainDer: string[];
}

/** A root, an intermediate and a code-signing leaf, made with openssl req/x509. */
export function makeTestCa(dir: string, leafKind: ProducerKey = 'p256', options: { leafEku?: string; name?: string } = {}): TestCa {
  const prefix = options.name ?? 'ca';
  const rootKey = makeOpensslKey(dir, `${prefix}-root`, 'p384');
  const interKey = makeOpensslKey(dir, `${prefix}-inter`, 'p256');
  const leafKey = makeOpensslKey(dir, `${prefix}-leaf`, leafKind);
  const extPath = path.join(dir, `${prefix}-ext.cnf`);
  writeFileSync(
    extPath,
    [
      '[ca]',
      'basicConstraints=critical,CA:TRUE',
      'keyUsage=critical,keyCertSign,cRLSign',
      '[leaf]',
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      `extendedKeyUsage=${options.leafEku ?? 'codeSigning'}`,
      'subjectAltName=email:signer@example.test',
      '',
    ].join('\n'),
  );
  const rootPath = path.join(dir, `${prefix}-root.pem`);
  run('openssl', ['req', '-x509', '-new', '-key', rootKey.privatePath, '-subj', `/CN=${prefix} root`, '-days', '30', '-out', rootPath, '-extensions', 'ca', '-config', withReqSection(dir, extPath)]);
  const issue = (subject: string, key: OpensslKeyPair, issuerCert: string, issuerKey: string, extensions: string, out: string): void => {
    const csr = `${out}.csr`;
    run('openssl', ['req', '-new', '-key', key.privatePath, '-subj', subject, '-out', csr, '-config', withReqSection(dir, extPath)]);
    run('openssl', ['x509', '-req', '-in', csr, '-CA', issuerCert, '-CAkey', issuerKey, '-CAcreateserial', '-days', '30', '-extfile', extPath, '-extensions', extensions, '-out', out]);
  };
  const intermediatePath = path.join(dir, `${prefix}-inter.pem`);
  issue(`/CN=${prefix} intermediate`, interKey, rootPath, rootKey.privatePath, 'ca', intermediatePath);
  const leafPath = path.join(dir, `${prefix}-leaf.pem`);
  issue(`/CN=${prefix} signer`, leafKey, intermediatePath, interKey.privatePath, 'leaf', leafPath);
  const der = (pem: string): string => run('openssl', ['x509', '-in', pem, '-outform', 'DER']).toString('base64');
  return { rootPath, intermediatePath, leafPath, leafKey, chainDer: [der(leafPath), der(intermediatePath)] };
}

function withReqSection(dir: string, extPath: string): string {
  const configPath = path.join(dir, 'req.cnf');
  writeFileSync(configPath, `[req]\ndistinguished_name=dn\n[dn]\n${readFileSync(extPath, 'utf8')}`);
  return configPath;
}
