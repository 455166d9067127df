// Regenerates assets/demo deterministically: `npm run demo`. Running it twice gives the same bytes.
//
// The demo tells the seed story: raw transactions Q1 → fraud signal extractor v2.3 → feature
// table v47 → training job j1829 → model m92 → production deployment. Keys come from fixed,
// published seeds: they are for the demo only and must never be trusted for anything real.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { signEnvelope, serializeEnvelope } from '../../shared/crypto/dsse';
import { publicKeyFromSeed } from '../../shared/crypto/ed25519';
import { sha256, sha256Hex } from '../../shared/crypto/hash';
import { keyIdOf, toOpenSshLine } from '../../shared/crypto/keys';
import { IN_TOTO_PAYLOAD_TYPE } from '../../shared/verify/check-manifest';
import { toOpenSshPrivateKeyFile } from './openssh-private-key-file';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const demoDir = path.join(root, 'assets', 'demo');

const encoder = new TextEncoder();

interface DemoKey {
  name: string;
  comment: string;
  seed: Uint8Array;
  publicKey: Uint8Array;
  keyId: string;
  openssh: string;
}

function demoKey(name: string, comment: string): DemoKey {
  const seed = sha256(encoder.encode(`countersign demo key, never trust it: ${comment}`));
  const publicKey = publicKeyFromSeed(seed);
  return { name, comment, seed, publicKey, keyId: keyIdOf(publicKey), openssh: toOpenSshLine(publicKey, comment) };
}

/** Deterministic filler bytes standing in for a real artifact: SHA-256 in counter mode over a label. */
function demoBlob(label: string, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let offset = 0, block = 0; offset < size; offset += 32, block++) {
    out.set(sha256(encoder.encode(`${label}#${block}`)).subarray(0, Math.min(32, size - offset)), offset);
  }
  return out;
}

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

function write(relative: string, content: Uint8Array | string): void {
  const file = path.join(demoDir, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

const producer = demoKey('training CI', 'training-ci@countersign-demo');
const reviewers = [
  { ...demoKey('Ada Byron', 'ada@countersign-demo'), roles: ['risk'] },
  { ...demoKey('Alan Turing', 'alan@countersign-demo'), roles: ['privacy', 'ml-lead'] },
  { ...demoKey('Grace Hopper', 'grace@countersign-demo'), roles: ['risk', 'privacy'] },
];

const featureSchema = encoder.encode(
  json({
    name: 'feature table v47',
    columns: [
      { name: 'txn_amount_zscore', type: 'float32' },
      { name: 'merchant_risk_bucket', type: 'int8' },
      { name: 'fraud_signal_v2_3', type: 'float32' },
      { name: 'velocity_1h', type: 'int32' },
    ],
  }),
);
const lockfile = encoder.encode('numpy==2.3.4\nonnx==1.19.0\npandas==2.3.3\nscikit-learn==1.7.2\nxgboost==3.1.1\n');
const blobs: Record<string, Uint8Array> = {
  'model/fraud-m92.onnx': demoBlob('model m92', 256 * 1024),
  'data/transactions-q1.parquet': demoBlob('raw transactions Q1', 512 * 1024),
  'features/schema-v47.json': featureSchema,
  'requirements.lock': lockfile,
};

const codeRepo = 'git+https://git.example.com/fraud.git';
const serveImage = 'registry.example.com/fraud/serve';
const commit = sha256Hex(encoder.encode('fraud.git commit for m92')).slice(0, 40);
const imageDigest = sha256Hex(encoder.encode('fraud/serve image for m92'));

const statement = {
  _type: 'https://in-toto.io/Statement/v1',
  subject: [
    ...Object.entries(blobs).map(([name, bytes]) => ({ name, digest: { sha256: sha256Hex(bytes) } })),
    { name: codeRepo, digest: { gitCommit: commit } },
    { name: serveImage, digest: { sha256: imageDigest } },
  ],
  predicateType: 'https://countersign.dev/release/v1',
  predicate: {
    release: { name: 'fraud-detector', version: 'm92' },
    artifacts: {
      'model/fraud-m92.onnx': { kind: 'model', size: blobs['model/fraud-m92.onnx']!.length, mediaType: 'application/onnx' },
      'data/transactions-q1.parquet': { kind: 'dataset', size: blobs['data/transactions-q1.parquet']!.length },
      'features/schema-v47.json': { kind: 'features' },
      'requirements.lock': { kind: 'lockfile' },
      [codeRepo]: { kind: 'code' },
      [serveImage]: { kind: 'container' },
    },
    environment: { seed: 42, hardware: { cpu: 'x86_64', gpu: 'NVIDIA A100' } },
    tolerance: { metric: 'AUC', maxDelta: 0.01 },
    createdBy: producer.keyId,
    createdAt: '2026-11-01T12:00:00Z',
  },
};
const payload = encoder.encode(JSON.stringify(statement, null, 2) + '\n');
const envelope = signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, [{ keyId: producer.keyId, seed: producer.seed }]);

const lineage = {
  nodes: [
    { id: 'transactions_q1', kind: 'source', name: 'raw transactions Q1', subject: 'data/transactions-q1.parquet' },
    { id: 'fraud_signal_v2.3', kind: 'transform', name: 'fraud signal extractor', version: '2.3' },
    { id: 'features_v47', kind: 'features', name: 'feature table v47', subject: 'features/schema-v47.json' },
    { id: 'training_j1829', kind: 'training', name: 'training job j1829' },
    { id: 'model_m92', kind: 'model', name: 'model m92', subject: 'model/fraud-m92.onnx' },
    { id: 'deploy_production', kind: 'deployment', name: 'production' },
  ],
  edges: [
    { from: 'transactions_q1', to: 'fraud_signal_v2.3' },
    { from: 'fraud_signal_v2.3', to: 'features_v47' },
    { from: 'features_v47', to: 'training_j1829' },
    { from: 'training_j1829', to: 'model_m92' },
    { from: 'model_m92', to: 'deploy_production' },
  ],
};

const deployment = {
  environment: 'production',
  artifacts: [
    { name: 'model/fraud-m92.onnx', digest: { sha256: sha256Hex(blobs['model/fraud-m92.onnx']!) } },
    { name: serveImage, reference: `${serveImage}@sha256:${imageDigest}` },
  ],
};

const board = {
  board: 'Responsible AI Review Board (demo)',
  version: 1,
  members: reviewers.map((r) => ({ name: r.name, roles: r.roles, keys: [r.openssh] })),
  producers: [{ name: producer.name, keys: [producer.openssh] }],
  revokedKeys: [],
  rules: { approvalsRequired: 2, rolesRequired: { risk: 1, privacy: 1 }, authorMayApprove: false, rejectionBlocks: true, maxApprovalAgeDays: 90 },
};

fs.rmSync(demoDir, { recursive: true, force: true });
write('bundle/manifest.dsse.json', serializeEnvelope(envelope) + '\n');
for (const [name, bytes] of Object.entries(blobs)) write(`bundle/artifacts/${name}`, bytes);
write('bundle/lineage.json', json(lineage));
write('bundle/deployment.json', json(deployment));
write('bundle/keys/training-ci.pub', producer.openssh + '\n');
write('board.json', json(board));
for (const reviewer of reviewers) write(`reviewers/${reviewer.comment.split('@')[0]}.pub`, reviewer.openssh + '\n');
// The reviewers' private keys too (unencrypted, published seeds), so anyone can play a board member in the demo.
for (const reviewer of reviewers) write(`reviewers/${reviewer.comment.split('@')[0]}.key`, toOpenSshPrivateKeyFile(reviewer.seed, reviewer.publicKey, reviewer.comment));
console.log(`wrote ${path.relative(root, demoDir)}: manifest ${sha256Hex(payload)}, signed by ${producer.keyId}`);

