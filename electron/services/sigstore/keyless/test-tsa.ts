// RFC 3161 timestamp authorities for tests, made at test time with the real `openssl ts`: a test
// root, a TSA certificate under it (critical extendedKeyUsage timeStamping), and tokens from
// `openssl ts -query` / `-reply`. Because openssl refuses to sign with a certificate that is not
// a timestamping one, `resignToken` re-signs a token's signed attributes with another certificate
// and key, so a verifier can be shown a well-formed token from a TSA without the right usage.
import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DER_TAG, derChildren, derContent, derEncoded, derOid, derSequence, encodeDer, readDer, type DerNode } from '../../../../shared/encoding/der';
import type { TrustedCertificateAuthority } from './keyless-types';

export interface TestCertificate {
  certificate: X509Certificate;
  privateKey: KeyObject;
  certPath: string;
  keyPath: string;
}

export interface TestTsa {
  root: TestCertificate;
  tsa: TestCertificate;
  authority: TrustedCertificateAuthority;
  /** A DER TimeStampResp over `data`; with `embedCertificate` the token carries the TSA's certificate. */
  stamp(data: Uint8Array, options?: { embedCertificate?: boolean }): Uint8Array;
  /** Another certificate under this TSA's root, with the extensions given (openssl x509v3 config lines). */
  issue(name: string, extensions: string[], keyType?: 'ec' | 'rsa'): TestCertificate;
}

const run = (args: string[]): Buffer => execFileSync('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] });

const TSA_EXTENSIONS = ['basicConstraints = critical,CA:FALSE', 'keyUsage = critical,digitalSignature', 'extendedKeyUsage = critical,timeStamping', 'subjectKeyIdentifier = hash'];

/** `ec` makes P-256 keys everywhere; `rsa` gives the TSA certificate an RSA 2048 key (signatures rsaEncryption with SHA-256). */
export function makeTestTsa(dir: string, name: string, tsaKey: 'ec' | 'rsa' = 'ec'): TestTsa {
  const file = (leaf: string): string => path.join(dir, `${name}-${leaf}`);
  const rootKey = file('root.key');
  const rootPath = file('root.pem');
  run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', rootKey, '-out', rootPath, '-subj', `/CN=${name} root`, '-days', '3650',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  const root = load(rootPath, rootKey);
  let serial = 0x1000;
  const issue = (leafName: string, extensions: string[], keyType: 'ec' | 'rsa' = 'ec'): TestCertificate => {
    const keyPath = file(`${leafName}.key`);
    const csrPath = file(`${leafName}.csr`);
    const certPath = file(`${leafName}.pem`);
    const extPath = file(`${leafName}.ext`);
    writeFileSync(extPath, `[ext]\n${extensions.join('\n')}\n`);
    const newKey = keyType === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
    run(['req', '-new', ...newKey, '-nodes', '-keyout', keyPath, '-out', csrPath, '-subj', `/CN=${name} ${leafName}`]);
    run(['x509', '-req', '-in', csrPath, '-CA', rootPath, '-CAkey', rootKey, '-set_serial', String(serial++), '-days', '365', '-extfile', extPath, '-extensions', 'ext', '-out', certPath]);
    return load(certPath, keyPath);
  };
  const tsa = issue('tsa', TSA_EXTENSIONS, tsaKey);
  const configPath = file('ts.cnf');
  writeFileSync(file('serial'), '01\n');
  writeFileSync(
    configPath,
    [
      '[ tsa_config ]',
      `serial = ${file('serial')}`,
      'crypto_device = builtin',
      `signer_cert = ${tsa.certPath}`,
      `signer_key = ${tsa.keyPath}`,
      'signer_digest = sha256',
      'default_policy = 1.2.3.4.1',
      'digests = sha256, sha384, sha512',
      'accuracy = secs:1',
      'ordering = yes',
      'tsa_name = yes',
      'ess_cert_id_chain = no',
      'ess_cert_id_alg = sha256',
      '',
    ].join('\n'),
  );
  let counter = 0;
  const stamp = (data: Uint8Array, options: { embedCertificate?: boolean } = {}): Uint8Array => {
    const dataPath = file(`data-${counter}`);
    const queryPath = file(`query-${counter}.tsq`);
    const replyPath = file(`reply-${counter}.tsr`);
    counter++;
    writeFileSync(dataPath, data);
    run(['ts', '-query', '-data', dataPath, '-sha256', ...(options.embedCertificate === false ? [] : ['-cert']), '-out', queryPath]);
    run(['ts', '-reply', '-config', configPath, '-section', 'tsa_config', '-queryfile', queryPath, '-out', replyPath]);
    return new Uint8Array(readFileSync(replyPath));
  };
  const authority: TrustedCertificateAuthority = {
    uri: `https://${name}.test.example`,
    subject: `${name} TSA`,
    chain: [tsa.certificate, root.certificate],
    validFor: { start: new Date('2020-01-01T00:00:00Z'), end: null },
  };
  return { root, tsa, authority, stamp, issue };
}

function load(certPath: string, keyPath: string): TestCertificate {
  return { certificate: new X509Certificate(readFileSync(certPath)), privateKey: createPrivateKey(readFileSync(keyPath)), certPath, keyPath };
}

/**
 * The same TimeStampResp, its TSTInfo unchanged, signed again by `signer`: the signer identifier,
 * the ESS signing-certificate attribute, the embedded certificate and the signature all follow
 * the new certificate, so the token is consistent and only the signer differs.
 */
export function resignToken(response: Uint8Array, signer: TestCertificate): Uint8Array {
  const [status, token] = derSequence(readDer(response), 'TimeStampResp') as [DerNode, DerNode];
  const [contentType, wrapped] = derSequence(token, 'ContentInfo') as [DerNode, DerNode];
  const signedData = derSequence(derChildren(wrapped)[0]!, 'SignedData');
  const [version, digestAlgorithms, encapsulated] = signedData as [DerNode, DerNode, DerNode];
  const signerInfo = derSequence(derChildren(signedData[signedData.length - 1]!)[0]!, 'SignerInfo');
  const [, , digestAlgorithm, signedAttributes, signatureAlgorithm] = signerInfo as [DerNode, DerNode, DerNode, DerNode, DerNode];

  const certificateDer = new Uint8Array(signer.certificate.raw);
  const essV2 = '1.2.840.113549.1.9.16.2.47';
  const essV1 = '1.2.840.113549.1.9.16.2.12';
  const attributes = derChildren(signedAttributes)
    .filter((attribute) => ![essV1, essV2].includes(derOid(derSequence(attribute, 'Attribute')[0]!)))
    .map((attribute) => derEncoded(attribute));
  const certHash = createHash('sha256').update(certificateDer).digest();
  const essCertIdV2 = seq(seq(seq(encodeDer(DER_TAG.OCTET_STRING, certHash))));
  attributes.push(seq(oid(essV2), encodeDer(DER_TAG.SET, essCertIdV2)));
  const attributeSet = concat(...attributes);
  const signature = sign('sha256', encodeDer(DER_TAG.SET, attributeSet), signer.privateKey);

  const tbs = derSequence(derSequence(readDer(certificateDer), 'Certificate')[0]!, 'TBSCertificate');
  const offset = tbs[0]!.tag === 0xa0 ? 1 : 0;
  const sid = seq(derEncoded(tbs[offset + 2]!), derEncoded(tbs[offset]!));
  const newSignerInfo = seq(encodeDer(DER_TAG.INTEGER, new Uint8Array([1])), sid, derEncoded(digestAlgorithm), encodeDer(0xa0, attributeSet), derEncoded(signatureAlgorithm), encodeDer(DER_TAG.OCTET_STRING, signature));
  const newSignedData = seq(derEncoded(version), derEncoded(digestAlgorithms), derEncoded(encapsulated), encodeDer(0xa0, certificateDer), encodeDer(DER_TAG.SET, newSignerInfo));
  return seq(derEncoded(status), seq(derEncoded(contentType), encodeDer(0xa0, newSignedData)));
}

/** A copy of the response whose TSTInfo genTime year is one less: the signed digest no longer matches. */
export function tamperGenTime(response: Uint8Array): Uint8Array {
  const copy = new Uint8Array(response);
  const token = derSequence(readDer(copy), 'TimeStampResp')[1]!;
  const signedData = derSequence(derChildren(derSequence(token, 'ContentInfo')[1]!)[0]!, 'SignedData');
  const encapsulated = derSequence(signedData[2]!, 'EncapsulatedContentInfo');
  const tstInfo = derSequence(readDer(derContent(derChildren(encapsulated[1]!)[0]!)), 'TSTInfo');
  const genTime = tstInfo[4]!;
  // The year's last digit, within the shared buffer: the view writes through to `copy`.
  const yearDigit = genTime.contentStart + 3;
  genTime.bytes[yearDigit] = genTime.bytes[yearDigit] === 0x30 ? 0x39 : genTime.bytes[yearDigit]! - 1;
  return copy;
}

function seq(...parts: Uint8Array[]): Uint8Array {
  return encodeDer(DER_TAG.SEQUENCE, concat(...parts));
}

function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const bytes: number[] = [arcs[0]! * 40 + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [];
    let rest = arc;
    do {
      chunk.unshift((rest & 0x7f) | (chunk.length > 0 ? 0x80 : 0));
      rest = Math.floor(rest / 128);
    } while (rest > 0);
    bytes.push(...chunk);
  }
  return encodeDer(DER_TAG.OID, new Uint8Array(bytes));
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}
