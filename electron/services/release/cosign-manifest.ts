import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { equalBytes } from '../../../shared/encoding/bytes';
import { DomainError } from '../../../shared/errors/domain-error';
import { pae, readEnvelope, serializeEnvelope } from '../../../shared/crypto/dsse';
import { IN_TOTO_PAYLOAD_TYPE, MAX_MANIFEST_BYTES } from '../../../shared/verify/check-manifest';
import type { TrustContext } from '../../../shared/verify/trust';
import type { JobControl } from '../jobs/job-registry';
import type { AsyncSigner } from '../keys/ssh-agent';
import type { ReviewSession } from '../session/review-session';

export class CosignError extends DomainError {
  constructor(code: 'unsupported' | 'refused' | 'conflict' | 'invalid-format', message: string) {
    super(code, message);
  }
}

export interface CosignedManifest {
  /** The manifest file rewritten. */
  file: string;
  keyId: string;
  /** Signatures the envelope now carries. */
  signatures: number;
  /** sha256 of the payload: unchanged, so approvals of the release still count. */
  manifestDigest: string;
}

/**
 * Adds `signer`'s signature to the manifest envelope of a directory bundle: the same payload
 * bytes, the existing signatures as they are, the new one appended; the file is replaced
 * atomically (written beside it, synced, renamed over it). Refused, with nothing written: an
 * archive (README: co-signing rewrites a bundle folder only), a manifest that cannot be read or
 * whose blobs do not match their pins, an envelope with fields DSSE does not define (they would
 * be lost), a key that already signed, and a bundle folder edited since it was verified.
 */
export async function cosignManifest(session: ReviewSession, signer: AsyncSigner, context: { trust: TrustContext; job?: JobControl }): Promise<CosignedManifest> {
  const folder = session.folder;
  if (folder === null) {
    throw new CosignError(
      'unsupported',
      `${session.sourcePath} is an archive: a co-signature is added to a bundle directory only (an archive is not rewritten). Unpack it, run release sign on the directory, and pack it again, or sign before packing.`,
    );
  }
  const report = await session.report(context.trust, context.job ?? {});
  const manifest = report.manifest;
  const bytes = session.manifestEnvelope();
  if (manifest === null || bytes === null || report.verdict === 'invalid') {
    throw new CosignError('invalid-format', `${session.sourcePath} has no readable release manifest to sign: ${report.reasons.join(' ')}`);
  }
  const mismatched = report.subjects.filter((subject) => subject.status === 'mismatch');
  if (mismatched.length > 0) {
    throw new CosignError('refused', `Refused to co-sign ${session.sourcePath}: ${mismatched.map((subject) => subject.name).join(', ')} ${mismatched.length === 1 ? 'differs' : 'differ'} from the digest the manifest pins.`);
  }

  const envelope = readEnvelope(bytes, MAX_MANIFEST_BYTES);
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) throw new CosignError('invalid-format', `The manifest's payloadType is ${JSON.stringify(envelope.payloadType)}, not ${IN_TOTO_PAYLOAD_TYPE}.`);
  if (envelope.unknownFields.length > 0) {
    throw new CosignError('refused', `The manifest envelope holds fields DSSE does not define (${envelope.unknownFields.join(', ')}); rewriting it would drop them, so it is not co-signed.`);
  }
  const signedBySigner = report.signatures.some((signature) => signature.status === 'valid' && signature.keyId === signer.keyId);
  if (signedBySigner || envelope.signatures.some((signature) => signature.keyid === signer.keyId)) {
    throw new CosignError('conflict', `${signer.keyId} has already signed this manifest: a key's signature counts once.`);
  }

  const signature = await signer.sign(pae(envelope.payloadType, envelope.payload));
  // Ed25519 is deterministic: the same key over the same bytes gives the same signature, whatever keyid the earlier one claimed.
  if (envelope.signatures.some((existing) => equalBytes(existing.sig, signature))) {
    throw new CosignError('conflict', `${signer.keyId} has already signed this manifest (under another keyid hint): a key's signature counts once.`);
  }
  const text = serializeEnvelope({ payloadType: envelope.payloadType, payload: envelope.payload, signatures: [...envelope.signatures, { keyid: signer.keyId, sig: signature }] }) + '\n';

  // What is signed is what was verified: a bundle folder edited since is refused.
  await session.assertUnchanged();
  const target = path.join(folder, 'manifest.dsse.json');
  await replaceFileAtomically(target, text);
  return { file: target, keyId: signer.keyId, signatures: envelope.signatures.length + 1, manifestDigest: manifest.digest };
}

/** Written under a fresh temporary name beside the target, synced, then renamed over it: the old or the new file, never half of one. */
async function replaceFileAtomically(target: string, text: string): Promise<void> {
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(temporary, 'wx', 0o644);
  try {
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}
