// `npm run bench -- manifest`: the manifest check of a 100,000-subject release (strict JSON of
// the envelope and the payload, base64, the signature, the statement's parse) against
// `JSON.parse` of the same payload bytes, measured in the same run.
import { availableParallelism } from 'node:os';
import { randomBytes } from 'node:crypto';
import { serializeEnvelope, signEnvelope } from '../../shared/crypto/dsse';
import { generateSeed, publicKeyFromSeed } from '../../shared/crypto/ed25519';
import { keyIdOf, toOpenSshLine } from '../../shared/crypto/keys';
import { IN_TOTO_STATEMENT_V1, RELEASE_PREDICATE_V1 } from '../../shared/formats/manifest';
import { checkManifest, IN_TOTO_PAYLOAD_TYPE } from '../../shared/verify/check-manifest';
import { buildTrustContext } from '../../shared/verify/trust';

const SUBJECTS = 100_000;
const ROUNDS = 5;

export async function benchManifest(scale = 1): Promise<void> {
  const subjectCount = Math.max(10, Math.round(SUBJECTS * scale));
  const seed = generateSeed();
  const publicKey = publicKeyFromSeed(seed);
  const keyId = keyIdOf(publicKey);
  const trust = buildTrustContext({ source: 'store', board: null, pinned: [{ keyId, name: 'bench', publicKey: toOpenSshLine(publicKey) }] });
  const payload = manifestPayload(subjectCount, keyId);
  const envelopeBytes = new TextEncoder().encode(serializeEnvelope(signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, [{ keyId, seed }])));
  console.log(`\nmanifest: node ${process.version}, ${availableParallelism()} cores; ${subjectCount.toLocaleString('en')} subjects, payload ${(payload.length / 1e6).toFixed(1)} MB, envelope ${(envelopeBytes.length / 1e6).toFixed(1)} MB`);

  const ours: number[] = [];
  const theirs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const check = (): void => {
      const started = performance.now();
      const result = checkManifest(envelopeBytes, trust);
      ours.push(performance.now() - started);
      if (result.manifest?.subjects.length !== subjectCount || result.signatures[0]?.status !== 'valid') {
        throw new Error(`the bench manifest did not check: ${result.findings.map((finding) => finding.message).join(' ')}`);
      }
    };
    const baseline = (): void => {
      const started = performance.now();
      // eslint-disable-next-line no-restricted-syntax -- the baseline being compared against, over our own bench payload
      const parsed = JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.length).toString('utf8')) as { subject: unknown[] };
      theirs.push(performance.now() - started);
      if (parsed.subject.length !== subjectCount) throw new Error('JSON.parse read a different number of subjects');
    };
    // Alternate who goes first, so neither always meets a heap left by the other.
    if (round % 2 === 0) {
      check();
      baseline();
    } else {
      baseline();
      check();
    }
  }
  const oursMs = Math.min(...ours);
  const theirsMs = Math.min(...theirs);
  console.log(`best of ${ROUNDS}, alternating order\n`);
  console.log(`check of the signed manifest (strict JSON, base64, signature, statement)  ${oursMs.toFixed(0).padStart(5)} ms`);
  console.log(`JSON.parse of the same payload bytes (baseline)                             ${theirsMs.toFixed(0).padStart(5)} ms`);
  console.log(`ratio                                                                      ${(oursMs / theirsMs).toFixed(1).padStart(5)}×`);
}

/** A payload shaped as the `hash` bench writes it: pretty-printed, one artifact entry (kind, size) per subject. */
function manifestPayload(subjectCount: number, keyId: string): Uint8Array {
  const names = Array.from({ length: subjectCount }, (_, i) => `data/shard-${String(Math.floor(i / 1000)).padStart(3, '0')}/part-${String(i).padStart(6, '0')}.parquet`);
  const statement = {
    _type: IN_TOTO_STATEMENT_V1,
    subject: names.map((name) => ({ name, digest: { sha256: randomBytes(32).toString('hex') } })),
    predicateType: RELEASE_PREDICATE_V1,
    predicate: {
      release: { name: 'bench-manifest', version: '1' },
      artifacts: Object.fromEntries(names.map((name, i) => [name, { kind: 'dataset', size: 1000 + i }])),
      createdBy: keyId,
      createdAt: '2026-11-01T12:00:00Z',
    },
  };
  return new TextEncoder().encode(JSON.stringify(statement, null, 2) + '\n');
}
