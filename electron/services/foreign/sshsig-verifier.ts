import { constants, verify } from 'node:crypto';
import { FormatError } from '../../../shared/formats/format-error';
import { matchPatternList, parseAllowedSigners, type AllowedSigner } from '../../../shared/ssh/allowed-signers';
import { parseSshPublicKeyBlob, SSH_ECDSA_CURVES, type SshPublicKey } from '../../../shared/ssh/ssh-public-key';
import { caSignatureProblem, isCertificateType, parseSshCertificate, SSH_CERT_TYPE_USER, type SshCertificate } from '../../../shared/ssh/ssh-certificate';
import { SshWireReader } from '../../../shared/ssh/ssh-wire';
import { ecdsaSignatureToP1363, parseArmoredSshSignature, sshsigSignedData, type SshSignature } from '../../../shared/ssh/sshsig';
import { assembleForeignReport, type ForeignFindings } from '../../../shared/verify/foreign/foreign-report';
import type { Finding, SignatureCheck, SubjectCheck } from '../../../shared/verify/report';
import type { ForeignVerificationRequest, FormatVerifier } from './format-verifier';
import { hashTargetFile } from './hash-target';
import { openSshFingerprint, sshKeyObject, type TrustedPublicKey } from './public-keys';

/**
 * SSH signatures (`ssh-keygen -Y sign`, OpenSSH PROTOCOL.sshsig) over one artifact file. The key
 * the signature carries is only a claim: it counts when `--key` names the same key, or a line of
 * `--allowed-signers` does with the principal, the namespace and the time that line permits, or a
 * cert-authority line names the CA of the certificate it was made with. The namespace must be
 * `--namespace`: a signature made for `git` never counts as a review.
 */
export const sshsigVerifier: FormatVerifier = {
  format: 'sshsig',
  async verify(request) {
    const base = baseFindings(request);
    const findings: Finding[] = [];
    const fail = (code: string, message: string, location: string | null = request.signature.path) =>
      assembleForeignReport({ ...base, signatures: [], subjects: [], findings: [...findings, { severity: 'error', code, message, location }] });

    let allowed: AllowedSigner[] = [];
    if (request.trust.allowedSigners !== null) {
      try {
        allowed = parseAllowedSigners(request.trust.allowedSigners.text, request.trust.allowedSigners.path);
      } catch (error) {
        return fail('allowed-signers-unreadable', `The allowed signers file cannot be used: ${messageOf(error)}`, request.trust.allowedSigners.path);
      }
    }
    if (!request.signature.separate) return fail('sshsig-no-message', 'An SSH signature is checked against the file it signs: give that file as the target and the signature with --signature.');
    if (request.target.kind !== 'file') return fail('sshsig-target-directory', `${request.target.path} is a directory: an SSH signature is checked against one file.`);

    let signature: SshSignature;
    let signerKey: SshPublicKey;
    let signer: KeyCheck;
    let certificate: SshCertificate | null = null;
    try {
      signature = parseArmoredSshSignature(request.signature.bytes);
      if (isCertificateType(keyTypeOf(signature.publicKey))) {
        certificate = parseSshCertificate(signature.publicKey);
        signerKey = certificate.key;
      } else {
        signerKey = parseSshPublicKeyBlob(signature.publicKey, 'the SSH signature’s public key');
      }
      signer = sshKeyObject(signerKey, 'the SSH signature’s public key');
      checkSignatureAlgorithm(signerKey, signature.signatureAlgorithm);
    } catch (error) {
      return fail('sshsig-unreadable', `The SSH signature cannot be used: ${messageOf(error)}`);
    }
    // A certificate's fingerprint is its certified key's, as ssh-keygen prints it.
    const fingerprint = openSshFingerprint(certificate?.keyBlob ?? signature.publicKey);

    const hashed = await hashTargetFile(request.target.path, [signature.hashAlgorithm], request.job);
    const digest = Buffer.from(hashed.digests[signature.hashAlgorithm]!, 'hex');
    const signedData = sshsigSignedData(signature.namespace, signature.hashAlgorithm, digest);
    const subject: SubjectCheck = {
      name: request.target.path,
      kind: null,
      digest: { [signature.hashAlgorithm]: digest.toString('hex') },
      blobPath: request.target.path,
      size: hashed.bytes,
      status: 'not-checked',
      expectedSha256: null,
      actualSha256: signature.hashAlgorithm === 'sha256' ? digest.toString('hex') : null,
      reason: 'The signature carries no digest of its own: the file is checked by the signature itself.',
      digestAlgorithm: signature.hashAlgorithm,
      expectedDigest: null,
      actualDigest: digest.toString('hex'),
    };

    const check =
      certificate === null
        ? judge(request, signature, signer, fingerprint, allowed, signedData, findings)
        : judgeCertificate(request, signature, certificate, signer, fingerprint, allowed, signedData, findings);
    // The signature is the digest: a valid signature by a trusted key means the file is what was signed.
    if (check.status === 'valid' || check.status === 'not-allowed') Object.assign(subject, { status: 'ok', reason: 'The file is what the signature covers.' });
    if (check.status === 'invalid') Object.assign(subject, { status: 'mismatch', reason: 'The signature does not verify over this file: the file changed or the signature is corrupt.' });
    return assembleForeignReport({ ...base, signatures: [check], subjects: [subject], findings, bytesHashed: hashed.bytes });
  },
};

function judge(
  request: ForeignVerificationRequest,
  signature: SshSignature,
  signer: KeyCheck,
  fingerprint: string,
  allowed: readonly AllowedSigner[],
  signedData: Uint8Array,
  findings: Finding[],
): SignatureCheck {
  const keyFlags = request.trust.keys.filter((key) => key.keyObject.equals(signer.keyObject));
  // A key given as trust (a --key, or one of the profile's) says where trust came from; allowed signers are a flag.
  const trustSource = keyFlags[0]?.source ?? 'flag';
  const result = (status: SignatureCheck['status'], reason: string, signerName: string | null = null): SignatureCheck => ({
    index: 0,
    keyIdHint: fingerprint,
    keyId: status === 'unknown-key' ? null : fingerprint,
    signerName,
    trustSource: status === 'unknown-key' ? null : trustSource,
    status,
    reason,
    algorithm: signature.signatureAlgorithm,
  });

  const lines = allowed.filter((line) => !line.certAuthority && sameKey(line, signer.keyObject, findings));
  if (keyFlags.length === 0 && lines.length === 0) {
    return result('unknown-key', `Signed by ${fingerprint}, a key neither --key nor the allowed signers name.`);
  }
  if (!verifySshRaw(signer, signature.signatureAlgorithm, signature.signature, signedData)) {
    return result('invalid', `Does not verify under ${fingerprint}: the file changed or the signature is corrupt.`, keyFlags[0]?.name ?? lines[0]?.principals ?? null);
  }
  const namespace = request.trust.namespace;
  if (namespace === null || signature.namespace !== namespace) {
    return result('not-allowed', `Made for namespace ${JSON.stringify(signature.namespace)}, not ${JSON.stringify(namespace)}: a signature for another purpose never counts.`);
  }
  if (keyFlags.length > 0 && request.trust.principal === null) {
    return result('valid', `Valid ${signature.signatureAlgorithm} signature (${signature.hashAlgorithm}) in namespace ${JSON.stringify(namespace)} by a trusted key (${keyFlags[0]!.name}).`, keyFlags[0]!.name);
  }
  const principal = request.trust.principal;
  const refusals: string[] = [];
  if (keyFlags.length > 0 && principal !== null) refusals.push(`--principal is checked against the allowed signers; --key ${keyFlags[0]!.name} names no principal`);
  for (const line of lines) {
    const at = `allowed signers line ${line.line}`;
    if (principal !== null && !matchPatternList(principal, line.principals)) refusals.push(`${at} does not allow principal ${JSON.stringify(principal)}`);
    else if (line.namespaces !== null && !matchPatternList(namespace, line.namespaces)) refusals.push(`${at} does not allow namespace ${JSON.stringify(namespace)}`);
    else if (line.validAfter !== null && request.now < line.validAfter) refusals.push(`${at} makes the key valid only after ${line.validAfter.toISOString()}`);
    else if (line.validBefore !== null && request.now >= line.validBefore) refusals.push(`${at} made the key valid only before ${line.validBefore.toISOString()}: it has expired`);
    else return result('valid', `Valid ${signature.signatureAlgorithm} signature (${signature.hashAlgorithm}) in namespace ${JSON.stringify(namespace)}; ${at} allows it.`, principal ?? line.principals);
  }
  return result('not-allowed', `By a known key, but not allowed: ${refusals.join('; ')}.`);
}

/**
 * A signature made with an OpenSSH certificate (ssh-keygen(1) CERTIFICATES): it counts only when a
 * cert-authority line names the CA for the principal, the CA's signature over the certificate
 * verifies, the certificate is a user certificate valid now that lists the principal, and the
 * line's namespaces and validity allow it. A --key never vouches for a certificate.
 */
function judgeCertificate(
  request: ForeignVerificationRequest,
  signature: SshSignature,
  certificate: SshCertificate,
  signer: KeyCheck,
  fingerprint: string,
  allowed: readonly AllowedSigner[],
  signedData: Uint8Array,
  findings: Finding[],
): SignatureCheck {
  const caFingerprint = openSshFingerprint(certificate.signatureKey);
  const result = (status: SignatureCheck['status'], reason: string, signerName: string | null = null): SignatureCheck => ({
    index: 0,
    keyIdHint: fingerprint,
    keyId: status === 'unknown-key' ? null : fingerprint,
    signerName,
    trustSource: status === 'unknown-key' ? null : 'flag',
    status,
    reason,
    algorithm: `${signature.signatureAlgorithm} (certificate ${JSON.stringify(certificate.keyId)} by CA ${caFingerprint})`,
  });
  let ca: KeyCheck & { key: SshPublicKey };
  try {
    const key = parseSshPublicKeyBlob(certificate.signatureKey, 'the certificate’s CA key');
    ca = { ...sshKeyObject(key, 'the certificate’s CA key'), key };
  } catch (error) {
    return result('invalid', `The certificate's CA key cannot be used: ${messageOf(error)}.`);
  }
  const lines = allowed.filter((line) => line.certAuthority && sameKey(line, ca.keyObject, findings));
  if (lines.length === 0) return result('unknown-key', `Signed with a certificate by CA ${caFingerprint}, which no cert-authority line of the allowed signers names.`);
  const problem = caSignatureProblem(ca.key, certificate.signatureAlgorithm);
  if (problem !== null) return result('invalid', `The certificate's CA signature is refused: ${problem}.`);
  if (!verifySshRaw(ca, certificate.signatureAlgorithm, certificate.signature, certificate.signedBytes)) {
    return result('invalid', `The certificate's signature does not verify under the CA ${caFingerprint}: the certificate was forged or altered.`);
  }
  if (!verifySshRaw(signer, signature.signatureAlgorithm, signature.signature, signedData)) {
    return result('invalid', `Does not verify under the certified key ${fingerprint}: the file changed or the signature is corrupt.`);
  }
  const namespace = request.trust.namespace;
  if (namespace === null || signature.namespace !== namespace) {
    return result('not-allowed', `Made for namespace ${JSON.stringify(signature.namespace)}, not ${JSON.stringify(namespace)}: a signature for another purpose never counts.`);
  }
  if (certificate.certType !== SSH_CERT_TYPE_USER) return result('not-allowed', 'The certificate is a host certificate: only user certificates sign as people.');
  const now = BigInt(Math.floor(request.now.getTime() / 1000));
  if (now < certificate.validAfter || now >= certificate.validBefore) {
    return result('not-allowed', `The certificate is not valid now (valid from ${secondsText(certificate.validAfter)} to ${secondsText(certificate.validBefore)}).`);
  }
  if (certificate.principals.length === 0) return result('not-allowed', 'The certificate lists no principals: a certificate for anyone names no one.');
  if (certificate.criticalOptions.length > 0) {
    findings.push({ severity: 'info', code: 'certificate-critical-options', message: `The certificate's critical options (${certificate.criticalOptions.join(', ')}) restrict logins, not signatures; not applied.`, location: null });
  }
  const principal = request.trust.principal;
  const candidates = principal !== null ? [principal] : certificate.principals;
  const refusals: string[] = [];
  for (const line of lines) {
    const at = `allowed signers line ${line.line}`;
    for (const name of candidates) {
      if (!certificate.principals.includes(name)) refusals.push(`the certificate does not list principal ${JSON.stringify(name)}`);
      else if (!matchPatternList(name, line.principals)) refusals.push(`${at} does not allow principal ${JSON.stringify(name)}`);
      else if (line.namespaces !== null && !matchPatternList(namespace, line.namespaces)) refusals.push(`${at} does not allow namespace ${JSON.stringify(namespace)}`);
      else if (line.validAfter !== null && request.now < line.validAfter) refusals.push(`${at} makes the CA valid only after ${line.validAfter.toISOString()}`);
      else if (line.validBefore !== null && request.now >= line.validBefore) refusals.push(`${at} made the CA valid only before ${line.validBefore.toISOString()}: it has expired`);
      else return result('valid', `Valid ${signature.signatureAlgorithm} signature (${signature.hashAlgorithm}) in namespace ${JSON.stringify(namespace)} with certificate ${JSON.stringify(certificate.keyId)}; ${at} trusts its CA for ${name}.`, name);
    }
  }
  return result('not-allowed', `Certified by a trusted CA, but not allowed: ${[...new Set(refusals)].join('; ')}.`);
}

function secondsText(seconds: bigint): string {
  if (seconds >= 0xffffffffffffffffn) return 'forever';
  return seconds > 8_640_000_000_000n ? `${seconds} s` : new Date(Number(seconds) * 1000).toISOString();
}

function keyTypeOf(blob: Uint8Array): string {
  return new SshWireReader(blob, 'the SSH signature’s public key').text('key type');
}

function sameKey(line: AllowedSigner, key: TrustedPublicKey['keyObject'], findings: Finding[]): boolean {
  try {
    const parsed = parseSshPublicKeyBlob(line.keyBlob, `allowed signers line ${line.line}`);
    if (parsed.type !== line.keyType) throw new FormatError(`allowed signers line ${line.line}`, `the line says ${line.keyType} but the key is ${parsed.type}`);
    return sshKeyObject(parsed, `allowed signers line ${line.line}`).keyObject.equals(key);
  } catch (error) {
    // One unusable line (a security-key type, say) vouches for nothing; the others still count.
    findings.push({ severity: 'warning', code: 'allowed-signer-unusable', message: messageOf(error), location: `allowed signers line ${line.line}` });
    return false;
  }
}

/** The signature algorithm must fit the key; ssh-rsa (SHA-1) is refused. */
function checkSignatureAlgorithm(key: SshPublicKey, algorithm: string): void {
  const fits = key.kind === 'rsa' ? algorithm === 'rsa-sha2-256' || algorithm === 'rsa-sha2-512' : algorithm === key.type;
  if (fits) return;
  if (key.kind === 'rsa' && algorithm === 'ssh-rsa') throw new FormatError('SSH signature', 'ssh-rsa signatures use SHA-1 and are refused: sign with rsa-sha2-256 or rsa-sha2-512');
  throw new FormatError('SSH signature', `a ${key.type} key cannot make a ${JSON.stringify(algorithm)} signature`);
}

type KeyCheck = Pick<TrustedPublicKey, 'algorithm' | 'keyObject' | 'ed25519'>;

/** An SSH signature blob (RFC 4253 §6.6 forms) over `signedData`, with the hash the algorithm names; false on any malformation. */
function verifySshRaw(key: KeyCheck, algorithm: string, blob: Uint8Array, signedData: Uint8Array): boolean {
  try {
    switch (key.algorithm) {
      case 'ed25519':
        return key.ed25519?.verify(blob, signedData) ?? false;
      case 'ecdsa-p256':
      case 'ecdsa-p384':
      case 'ecdsa-p521': {
        const curve = ({ 'ecdsa-p256': 'nistp256', 'ecdsa-p384': 'nistp384', 'ecdsa-p521': 'nistp521' } as const)[key.algorithm];
        const { hash, coordinateBytes } = SSH_ECDSA_CURVES[curve];
        const p1363 = ecdsaSignatureToP1363(blob, coordinateBytes);
        return verify(hash, signedData, { key: key.keyObject, dsaEncoding: 'ieee-p1363' }, p1363);
      }
      case 'rsa':
        if (algorithm !== 'rsa-sha2-256' && algorithm !== 'rsa-sha2-512') return false;
        return verify(algorithm === 'rsa-sha2-512' ? 'sha512' : 'sha256', signedData, { key: key.keyObject, padding: constants.RSA_PKCS1_PADDING }, blob);
    }
  } catch {
    return false;
  }
}

function baseFindings(request: ForeignVerificationRequest): Omit<ForeignFindings, 'signatures' | 'subjects' | 'findings'> {
  return {
    format: 'sshsig',
    target: { path: request.target.path, container: request.target.kind === 'directory' ? 'directory' : 'file', fileCount: request.target.kind === 'file' ? 1 : 0, signaturePath: request.signature.separate ? request.signature.path : null },
    unexpectedFiles: [],
    unexpectedFilesFail: false,
    trust: { source: request.trust.source, anchors: request.trust.anchors, trustedKeyCount: request.trust.keys.length + countKeys(request), threshold: request.trust.threshold },
    now: request.now,
  };
}

function countKeys(request: ForeignVerificationRequest): number {
  if (request.trust.allowedSigners === null) return 0;
  try {
    return parseAllowedSigners(request.trust.allowedSigners.text, request.trust.allowedSigners.path).length;
  } catch {
    return 0;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
