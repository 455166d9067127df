import { readEnvelope, type ParsedDsseEnvelope } from '../crypto/dsse';
import { parseStrictJson } from '../json/strict-json';
import { checkSignatures, checkSignaturesConcurrently } from '../verify/check-signatures';
import { IN_TOTO_PAYLOAD_TYPE } from '../verify/check-manifest';
import type { SignatureCheck } from '../verify/report';
import { messageOf, type TrustContext } from '../verify/trust';
import { parseApprovalStatement, type ApprovalStatement } from './approval-statement';

/** An approval is a few hundred bytes; a long comment and many conditions stay far below this. */
export const MAX_APPROVAL_BYTES = 1024 * 1024;

export interface CheckedApproval {
  /** Bundle-relative path (`approvals/ada.dsse.json`) or the imported file's name. */
  file: string | null;
  /** Null when the envelope or its payload cannot be read as an approval. */
  statement: ApprovalStatement | null;
  /** The trusted key whose signature verified (the reviewer's key when several did), or the revoked key that verified. */
  signerKeyId: string | null;
  signatureStatus: 'valid' | 'invalid' | 'unknown-key' | 'revoked' | 'malformed';
  /** Plain words when the approval is not usable; null when it is. */
  problem: string | null;
  /** Fields neither DSSE nor the approval format defines, kept to be shown (FORMATS §1): `envelope $.x`, `payload $.predicate.y`. */
  unknownFields: string[];
}

/**
 * Reads one approval envelope (FORMATS §3, §5). Signatures are checked over the exact payload
 * bytes before those bytes are parsed; the payload is parsed even when no signature verifies, so
 * that an approval by an unknown key can still be shown for what it claims.
 */
export function checkApprovalEnvelope(file: string | null, envelopeBytes: Uint8Array, trust: TrustContext): CheckedApproval {
  const read = readApprovalEnvelope(file, envelopeBytes);
  return 'malformed' in read ? read.malformed : judgeApproval(file, read.envelope, checkSignatures(read.envelope, trust));
}

/** checkApprovalEnvelope, with the signatures verified concurrently where the runtime can (checkSignaturesConcurrently): for many approvals at once. */
export async function checkApprovalEnvelopeConcurrently(file: string | null, envelopeBytes: Uint8Array, trust: TrustContext): Promise<CheckedApproval> {
  const read = readApprovalEnvelope(file, envelopeBytes);
  return 'malformed' in read ? read.malformed : judgeApproval(file, read.envelope, await checkSignaturesConcurrently(read.envelope, trust));
}

function readApprovalEnvelope(file: string | null, envelopeBytes: Uint8Array): { envelope: ParsedDsseEnvelope } | { malformed: CheckedApproval } {
  const name = file ?? 'The approval';
  const malformed = (problem: string) => ({ malformed: { file, statement: null, signerKeyId: null, signatureStatus: 'malformed' as const, problem, unknownFields: [] } });
  let envelope: ParsedDsseEnvelope;
  try {
    envelope = readEnvelope(envelopeBytes, MAX_APPROVAL_BYTES);
  } catch (error) {
    return malformed(`${name} is not a valid DSSE envelope: ${messageOf(error)}`);
  }
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    return malformed(`${name} has payloadType ${JSON.stringify(envelope.payloadType)}; an approval is "${IN_TOTO_PAYLOAD_TYPE}".`);
  }
  return { envelope };
}

function judgeApproval(file: string | null, envelope: ParsedDsseEnvelope, signatures: readonly SignatureCheck[]): CheckedApproval {
  const name = file ?? 'The approval';
  let statement: ApprovalStatement | null = null;
  let payloadProblem: string | null = null;
  try {
    statement = parseApprovalStatement(parseStrictJson(envelope.payload, { maxBytes: MAX_APPROVAL_BYTES }));
  } catch (error) {
    payloadProblem = `The payload of ${name} is not a valid approval: ${messageOf(error)}`;
  }

  const { status, signer, reason } = summariseSignatures(signatures, statement?.predicate.reviewer ?? null);
  const unknownFields = [...envelope.unknownFields.map((path) => `envelope ${path}`), ...(statement?.unknownFields ?? []).map((path) => `payload ${path}`)];
  const result = { file, statement, signerKeyId: signer?.keyId ?? null, signatureStatus: status, unknownFields };
  if (status !== 'valid') return { ...result, problem: `${name}: ${reason}` };
  if (payloadProblem !== null) return { ...result, problem: payloadProblem };
  if (statement !== null && signer !== null && statement.predicate.reviewer !== signer.keyId) {
    const problem = `${name} names reviewer ${statement.predicate.reviewer} but is signed by ${signer.signerName ?? 'key'} ${signer.keyId}; the reviewer must be the signing key.`;
    return { ...result, problem };
  }
  return { ...result, problem: null };
}

/**
 * One status for the envelope: valid when any signature verifies under a trusted unrevoked key
 * (preferring the key the statement names as reviewer), else revoked, invalid or unknown-key, in
 * that order, so the most telling failure is reported.
 */
function summariseSignatures(
  signatures: readonly SignatureCheck[],
  reviewer: string | null,
): { status: 'valid' | 'invalid' | 'unknown-key' | 'revoked'; signer: SignatureCheck | null; reason: string } {
  for (const status of ['valid', 'revoked', 'invalid'] as const) {
    const matching = signatures.filter((signature) => signature.status === status);
    const chosen = matching.find((signature) => signature.keyId === reviewer) ?? matching[0];
    if (chosen) return { status, signer: status === 'invalid' ? null : chosen, reason: chosen.reason };
  }
  const first = signatures[0];
  return { status: 'unknown-key', signer: null, reason: first?.reason ?? 'No signature.' };
}
