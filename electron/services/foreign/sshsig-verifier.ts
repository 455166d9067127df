import { constants, verify } from 'node:crypto';
import { FormatError } from '../../../shared/formats/format-error';
import { matchPatternList, parseAllowedSigners, type AllowedSigner } from '../../../shared/ssh/allowed-signers';
import { parseSshPublicKeyBlob, SSH_ECDSA_CURVES, type SshPublicKey } from '../../../shared/ssh/ssh-public-key';
import { ecdsaSignatureToP1363, parseArmoredSshSignature, sshsigSignedData, type SshSignature } from '../../../shared/ssh/sshsig';
import { assembleForeignReport, type ForeignFindings } from '../../../shared/verify/foreign/foreign-report';
import type { Finding, SignatureCheck, SubjectCheck } from '../../../shared/verify/report';
import type { ForeignVerificationRequest, FormatVerifier } from './format-verifier';
import { hashTargetFile } from './hash-target';
import { openSshFingerprint, sshKeyObject, type TrustedPublicKey } from './public-keys';

/**
 * SSH signatures (`ssh-keygen -Y sign`, OpenSSH PROTOCOL.sshsig) over one artifact file. The key
 * the signature carries is only a claim: it counts when `--key` names the same key, or a line of
 * `--allowed-signers` does with the principal, the namespace and the time that line permits. The
 * namespace must be `--namespace`: a signature made for `git` never counts as a review.
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
    let signer: Pick<TrustedPublicKey, 'algorithm' | 'keyObject' | 'ed25519'>;
    try {
      signature = parseArmoredSshSignature(request.signature.bytes);
      signerKey = parseSshPublicKeyBlob(signature.publicKey, 'the SSH signature’s public key');
      signer = sshKeyObject(signerKey, 'the SSH signature’s public key');
      checkSignatureAlgorithm(signerKey, signature.signatureAlgorithm);
    } catch (error) {
      return fail('sshsig-unreadable', `The SSH signature cannot be used: ${messageOf(error)}`);
    }
    const fingerprint = openSshFingerprint(signature.publicKey);

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

    const check = judge(request, signature, signer, fingerprint, allowed, signedData, findings);
    // The signature is the digest: a valid signature by a trusted key means the file is what was signed.
    if (check.status === 'valid' || check.status === 'not-allowed') Object.assign(subject, { status: 'ok', reason: 'The file is what the signature covers.' });
    if (check.status === 'invalid') Object.assign(subject, { status: 'mismatch', reason: 'The signature does not verify over this file: the file changed or the signature is corrupt.' });
    return assembleForeignReport({ ...base, signatures: [check], subjects: [subject], findings, bytesHashed: hashed.bytes });
  },
};

function judge(
  request: ForeignVerificationRequest,
  signature: SshSignature,
  signer: Pick<TrustedPublicKey, 'algorithm' | 'keyObject' | 'ed25519'>,
  fingerprint: string,
  allowed: readonly AllowedSigner[],
  signedData: Uint8Array,
  findings: Finding[],
): SignatureCheck {
  const result = (status: SignatureCheck['status'], reason: string, signerName: string | null = null): SignatureCheck => ({
    index: 0,
    keyIdHint: fingerprint,
    keyId: status === 'unknown-key' ? null : fingerprint,
    signerName,
    trustSource: status === 'unknown-key' ? null : 'flag',
    status,
    reason,
    algorithm: signature.signatureAlgorithm,
  });

  const keyFlags = request.trust.keys.filter((key) => key.keyObject.equals(signer.keyObject));
  const lines = allowed.filter((line) => !line.certAuthority && sameKey(line, signer.keyObject, findings));
  if (allowed.some((line) => line.certAuthority)) {
    findings.push({ severity: 'info', code: 'cert-authority-not-supported', message: 'cert-authority lines were read but OpenSSH certificates are not supported yet: they vouch for no signature here.', location: request.trust.allowedSigners?.path ?? null });
  }
  if (keyFlags.length === 0 && lines.length === 0) {
    return result('unknown-key', `Signed by ${fingerprint}, a key neither --key nor the allowed signers name.`);
  }
  if (!verifySshSignature(signer, signature, signedData)) {
    return result('invalid', `Does not verify under ${fingerprint}: the file changed or the signature is corrupt.`, keyFlags[0]?.name ?? lines[0]?.principals ?? null);
  }
  const namespace = request.trust.namespace;
  if (namespace === null || signature.namespace !== namespace) {
    return result('not-allowed', `Made for namespace ${JSON.stringify(signature.namespace)}, not ${JSON.stringify(namespace)}: a signature for another purpose never counts.`);
  }
  if (keyFlags.length > 0 && request.trust.principal === null) {
    return result('valid', `Valid ${signature.signatureAlgorithm} signature (${signature.hashAlgorithm}) in namespace ${JSON.stringify(namespace)} by a key given with --key.`, keyFlags[0]!.name);
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

function verifySshSignature(key: Pick<TrustedPublicKey, 'algorithm' | 'keyObject' | 'ed25519'>, signature: SshSignature, signedData: Uint8Array): boolean {
  try {
    switch (key.algorithm) {
      case 'ed25519':
        return key.ed25519?.verify(signature.signature, signedData) ?? false;
      case 'ecdsa-p256':
      case 'ecdsa-p384':
      case 'ecdsa-p521': {
        const curve = ({ 'ecdsa-p256': 'nistp256', 'ecdsa-p384': 'nistp384', 'ecdsa-p521': 'nistp521' } as const)[key.algorithm];
        const { hash, coordinateBytes } = SSH_ECDSA_CURVES[curve];
        const p1363 = ecdsaSignatureToP1363(signature.signature, coordinateBytes);
        return verify(hash, signedData, { key: key.keyObject, dsaEncoding: 'ieee-p1363' }, p1363);
      }
      case 'rsa':
        return verify(signature.signatureAlgorithm === 'rsa-sha2-512' ? 'sha512' : 'sha256', signedData, { key: key.keyObject, padding: constants.RSA_PKCS1_PADDING }, signature.signature);
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
    return parseAllowedSigners(request.trust.allowedSigners.text, request.trust.allowedSigners.path).filter((line) => !line.certAuthority).length;
  } catch {
    return 0;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
