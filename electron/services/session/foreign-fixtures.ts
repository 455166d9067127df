// Test fixtures: signatures other tools make, produced at test time with openssl (see
// oms-test-producer.ts): an OMS-signed model directory and a Sigstore bundle beside its artifact.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parsePublicKey } from '../../../shared/crypto/keys';
import { buildTrustContext, type TrustContext } from '../../../shared/verify/trust';
import { opensslSign, specBundle, specResources, specStatement, writeModel, type OpensslKeyPair } from '../oms/oms-test-producer';

export const MODEL_FILES: Record<string, string> = {
  'config.json': '{"layers": 4}\n',
  'weights/part-0.bin': 'weights zero '.repeat(2000),
  'weights/part-1.bin': 'weights one '.repeat(2000),
};

const SERIALIZATION = { method: 'files', hash_type: 'sha256', allow_symlinks: false, ignore_paths: ['.git', '.gitattributes', '.github', '.gitignore'] };

/** A model directory whose files are signed (OMS key method) into its own `model.sig`, as `model_signing sign key` does. */
export function makeOmsModel(modelDir: string, signer: OpensslKeyPair, scratch: string): { modelDir: string; signaturePath: string } {
  writeModel(modelDir, MODEL_FILES);
  const statement = specStatement(path.basename(modelDir), specResources(modelDir), SERIALIZATION);
  const signaturePath = path.join(modelDir, 'model.sig');
  writeFileSync(signaturePath, specBundle(statement, { publicKey: { hint: 'claimed, never trusted' }, tlogEntries: [] }, (pae) => opensslSign(signer, pae, scratch)));
  return { modelDir, signaturePath };
}

/** An artifact with a Sigstore bundle (a DSSE in-toto statement naming its sha256) at `<artifact>.sigstore.json`. */
export function makeSigstoreArtifact(artifact: string, signer: OpensslKeyPair, scratch: string): { artifact: string; bundlePath: string } {
  writeFileSync(artifact, 'an exported model '.repeat(4000));
  const digest = createHash('sha256').update(readFileSync(artifact)).digest('hex');
  const statement = { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: path.basename(artifact), digest: { sha256: digest } }], predicateType: 'https://slsa.dev/provenance/v1', predicate: {} };
  const bundlePath = `${artifact}.sigstore.json`;
  writeFileSync(bundlePath, specBundle(statement, { publicKey: { hint: 'claimed, never trusted' } }, (pae) => opensslSign(signer, pae, scratch)));
  return { artifact, bundlePath };
}

/** A profile's trust with `key` (an Ed25519 PEM public key) pinned under `name`, as `trust.pin` leaves it. */
export function trustPinning(key: OpensslKeyPair, name: string): TrustContext {
  const publicKey = readFileSync(key.publicPath, 'utf8');
  return buildTrustContext({ source: 'store', board: null, pinned: [{ keyId: parsePublicKey(publicKey).keyId, name, publicKey }] });
}
