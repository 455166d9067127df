import { sha256Hex } from '../crypto/hash';
import { readEnvelope, type DsseEnvelope, type ParsedDsseEnvelope } from '../crypto/dsse';
import { parseStrictJson } from '../json/strict-json';
import { parseReleaseStatement, type ReleaseManifest } from '../formats/manifest';
import { checkSignatures, type OfferedPublicKey } from './check-signatures';
import type { Finding, ManifestSummary, SignatureCheck } from './report';
import type { TrustContext } from './trust';
import { messageOf } from './trust';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const MANIFEST_FILE = 'manifest.dsse.json';

/** Larger than any real manifest (100,000 subjects is about 17 MB of payload, 22 MB as base64), small enough to hold in memory. */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/** The signed half of a verification: the envelope, its signatures, and the statement they cover. */
export interface ManifestCheck {
  envelope: DsseEnvelope | null;
  manifest: ReleaseManifest | null;
  summary: ManifestSummary | null;
  signatures: SignatureCheck[];
  findings: Finding[];
}

/**
 * Parses and checks `manifest.dsse.json`. Signatures are checked over the exact payload bytes
 * first; only then are those bytes parsed, and never re-serialised (FORMATS §3).
 */
export function checkManifest(envelopeBytes: Uint8Array, trust: TrustContext, offered: readonly OfferedPublicKey[] = []): ManifestCheck {
  const findings: Finding[] = [];
  const fail = (code: string, message: string): ManifestCheck => {
    findings.push({ severity: 'error', code, message, location: MANIFEST_FILE });
    return { envelope: null, manifest: null, summary: null, signatures: [], findings };
  };

  let envelope: ParsedDsseEnvelope;
  try {
    envelope = readEnvelope(envelopeBytes, MAX_MANIFEST_BYTES);
  } catch (error) {
    return fail('manifest-envelope-invalid', `${MANIFEST_FILE} is not a valid DSSE envelope: ${messageOf(error)}`);
  }
  const signatures = checkSignatures(envelope, trust, offered);
  for (const path of envelope.unknownFields) {
    findings.push({ severity: 'info', code: 'unknown-envelope-field', message: `Envelope field ${path} is not part of DSSE; it is shown, not interpreted.`, location: `${MANIFEST_FILE} ${path}` });
  }

  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    findings.push({
      severity: 'error',
      code: 'manifest-payload-type',
      message: `${MANIFEST_FILE} has payloadType "${envelope.payloadType}"; a release manifest is "${IN_TOTO_PAYLOAD_TYPE}".`,
      location: `${MANIFEST_FILE} $.payloadType`,
    });
    return { envelope, manifest: null, summary: null, signatures, findings };
  }

  let manifest: ReleaseManifest;
  try {
    manifest = parseReleaseStatement(parseStrictJson(envelope.payload, { maxBytes: MAX_MANIFEST_BYTES }));
  } catch (error) {
    findings.push({ severity: 'error', code: 'manifest-payload-invalid', message: `The manifest payload is not a valid release statement: ${messageOf(error)}`, location: `${MANIFEST_FILE} payload` });
    return { envelope, manifest: null, summary: null, signatures, findings };
  }

  if (!manifest.understood) {
    findings.push({
      severity: 'error',
      code: 'predicate-not-understood',
      message: `The manifest's predicateType "${manifest.predicateType}" is not understood: its content is shown, not verified.`,
      location: `${MANIFEST_FILE} $.predicateType`,
    });
  }
  for (const path of manifest.unknownFields) {
    findings.push({ severity: 'info', code: 'unknown-field', message: `Field ${path} is not interpreted by this version; it is kept and shown.`, location: `${MANIFEST_FILE} ${path}` });
  }

  const summary: ManifestSummary = {
    digest: sha256Hex(envelope.payload),
    releaseName: manifest.release?.name ?? null,
    releaseVersion: manifest.release?.version ?? null,
    predicateType: manifest.predicateType,
    understood: manifest.understood,
    createdBy: manifest.createdBy,
    createdAt: manifest.createdAt,
    unknownFields: manifest.unknownFields,
    statement: manifest.statement,
  };
  return { envelope, manifest, summary, signatures, findings };
}
