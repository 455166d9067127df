// One transparency-log entry of a bundle, checked against the trusted root's Rekor logs: the log
// is found by its ID and must be valid when the entry was logged; the SET (Rekor v1) is the log's
// signature over the entry and its integrated time; the inclusion proof leads from the entry's
// leaf hash to the root of a checkpoint the log signed; and the body must name this bundle's
// signature, signer and artifact or envelope.
import { equalBytes } from '../../../../shared/encoding/bytes';
import { leafHash, verifyInclusion } from '../../../../shared/transparency/merkle';
import type { TlogEntry } from '../sigstore-bundle';
import type { TrustedLog } from './keyless-types';
import { checkEntryBody, type SignedContent } from './rekor-body';
import { verifyLogSignature, verifyRekorCheckpoint } from './rekor-checkpoint';
import { describeWindow, isWithin } from './validity';

export interface EntryVerdict {
  logIndex: number;
  rekorV2: boolean;
  log: TrustedLog | null;
  /** The entry's integrated time, when a SET or an inclusion proof vouched for the entry (Rekor v1 only). */
  integratedTime: Date | null;
  proofsChecked: string[];
  problems: string[];
}

/**
 * `timestampTimes` are the verified RFC 3161 times: a Rekor v2 entry has no time of its own, so
 * its log must have been valid at one of them.
 */
export function verifyRekorEntry(entry: TlogEntry, index: number, content: SignedContent, tlogs: readonly TrustedLog[], now: Date, timestampTimes: readonly Date[]): EntryVerdict {
  const where = `Transparency-log entry ${index} (log index ${entry.logIndex})`;
  const problems: string[] = [];
  const proofsChecked: string[] = [];
  const body = checkEntryBody(entry, content);
  problems.push(...body.problems.map((problem) => `${where}: ${problem}.`));
  if (body.problems.length === 0) proofsChecked.push('body');
  const verdict = (log: TrustedLog | null, integratedTime: Date | null): EntryVerdict => ({ logIndex: entry.logIndex, rekorV2: body.rekorV2, log, integratedTime, proofsChecked, problems });

  const log = tlogs.find((candidate) => equalBytes(candidate.logId, entry.logId));
  if (log === undefined) {
    problems.push(`${where}: it comes from a log the trusted root does not list (log ID ${Buffer.from(entry.logId).toString('hex')}).`);
    return verdict(null, null);
  }

  let integratedTime: Date | null = null;
  if (body.rekorV2) {
    if (entry.signedEntryTimestamp !== null) problems.push(`${where}: a Rekor v2 entry carries no SET, yet this one does.`);
    if (timestampTimes.length > 0 && !timestampTimes.some((time) => isWithin(log.validFor, time))) {
      problems.push(`${where}: the log ${log.baseUrl} was not valid at any verified timestamp (${describeWindow(log.validFor)}).`);
    }
  } else {
    integratedTime = new Date(entry.integratedTime * 1000);
    if (entry.integratedTime === 0) problems.push(`${where}: it has no integrated time.`);
    else if (integratedTime > now) problems.push(`${where}: its integrated time ${integratedTime.toISOString()} is in the future.`);
    else if (!isWithin(log.validFor, integratedTime)) problems.push(`${where}: the log ${log.baseUrl} was not valid at its integrated time ${integratedTime.toISOString()} (${describeWindow(log.validFor)}).`);
  }

  if (entry.signedEntryTimestamp !== null && !body.rekorV2) {
    if (verifyLogSignature(log.publicKey, setPayload(entry), entry.signedEntryTimestamp)) proofsChecked.push('set');
    else problems.push(`${where}: its SET (signed entry timestamp) does not verify under the key of ${log.baseUrl}: the entry, its index or its integrated time were changed, or another key signed it.`);
  }

  const proof = entry.inclusionProof;
  if (proof !== null) {
    const checked = verifyRekorCheckpoint(proof.checkpoint, log, body.rekorV2);
    if (!checked.ok) problems.push(`${where}: ${checked.problem}.`);
    else {
      proofsChecked.push('checkpoint');
      const checkpoint = checked.checkpoint;
      if (checkpoint.size !== proof.treeSize || !equalBytes(checkpoint.rootHash, proof.rootHash)) {
        problems.push(`${where}: its inclusion proof is for a tree of ${proof.treeSize} leaves with another root than the signed checkpoint (${checkpoint.size} leaves).`);
      } else if (body.rekorV2 && proof.logIndex !== entry.logIndex) {
        problems.push(`${where}: its inclusion proof is for index ${proof.logIndex}, not the entry's ${entry.logIndex}.`);
      } else if (!verifyInclusion(leafHash(entry.canonicalizedBody), proof.logIndex, proof.treeSize, proof.hashes, checkpoint.rootHash)) {
        problems.push(`${where}: its inclusion proof does not lead from the entry to the checkpoint's root hash: the entry is not in the log the checkpoint commits to.`);
      } else proofsChecked.push('inclusion-proof');
    }
  } else if (body.rekorV2) {
    problems.push(`${where}: a Rekor v2 entry must carry an inclusion proof.`);
  }

  const vouched = proofsChecked.includes('set') || proofsChecked.includes('inclusion-proof');
  return verdict(log, problems.length === 0 && vouched ? integratedTime : null);
}

/** What Rekor v1 signs as the SET: the canonical JSON (RFC 8785) of the body, integrated time, log ID and index. */
export function setPayload(entry: TlogEntry): Uint8Array {
  // Every value is a base64 or hex string or an integer: nothing needs escaping, keys are in order.
  const body = Buffer.from(entry.canonicalizedBody).toString('base64');
  const logId = Buffer.from(entry.logId).toString('hex');
  return new TextEncoder().encode(`{"body":"${body}","integratedTime":${entry.integratedTime},"logID":"${logId}","logIndex":${entry.logIndex}}`);
}
