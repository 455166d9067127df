import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { serializeEnvelope, signEnvelope } from '../shared/crypto/dsse';
import { publicKeyFromSeed } from '../shared/crypto/ed25519';
import { keyIdOf, toOpenSshLine } from '../shared/crypto/keys';
import { IN_TOTO_PAYLOAD_TYPE } from '../shared/verify/check-manifest';
import { expect, test } from './web-host';

const SUBJECTS = 100_000;
const name = (i: number) => `data/shard-${String(i).padStart(6, '0')}.parquet`;

/** A signed release pinning 100,000 dataset shards, three of which ship as blobs (one of them altered). */
function writeLargeBundle(dir: string) {
  const seed = createHash('sha256').update('countersign e2e large bundle key').digest();
  const publicKey = publicKeyFromSeed(seed);
  const keyId = keyIdOf(publicKey);
  const blobs = new Map([0, 1, SUBJECTS - 1].map((i) => [name(i), Buffer.from(`shard ${i}`)]));
  const digestOf = (i: number) => createHash('sha256').update(blobs.get(name(i)) ?? `not shipped ${i}`).digest('hex');

  const subject = Array.from({ length: SUBJECTS }, (_, i) => ({ name: name(i), digest: { sha256: digestOf(i) } }));
  const artifacts = Object.fromEntries(subject.map((s) => [s.name, { kind: 'dataset' }]));
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject,
    predicateType: 'https://countersign.dev/release/v1',
    predicate: { release: { name: 'shards', version: '1' }, artifacts, createdBy: keyId, createdAt: '2026-11-01T12:00:00Z' },
  };
  const envelope = signEnvelope(IN_TOTO_PAYLOAD_TYPE, new TextEncoder().encode(JSON.stringify(statement)), [{ keyId, seed }]);
  fs.mkdirSync(path.join(dir, 'artifacts/data'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'manifest.dsse.json'), serializeEnvelope(envelope));
  for (const [subjectName, bytes] of blobs) fs.writeFileSync(path.join(dir, 'artifacts', subjectName), bytes);
  fs.writeFileSync(path.join(dir, 'artifacts', name(1)), 'altered shard');
  return { keyId, openssh: toOpenSshLine(publicKey, 'shards-ci@e2e') };
}

test('a release of 100,000 subjects stays usable: virtualised rows, filter, the one mismatch found', async ({ page, host, workDir }, testInfo) => {
  const bundle = path.join(workDir, 'shards');
  const key = writeLargeBundle(bundle);

  await page.goto(host.url);
  await page.getByRole('button', { name: 'Not now' }).click();
  await page.getByRole('button', { name: 'Trust', exact: true }).click();
  await page.getByRole('textbox', { name: 'Public key' }).fill(key.openssh);
  await expect(page.getByTestId('pasted-key-fingerprint')).toHaveText(key.keyId);
  await page.getByRole('textbox', { name: 'Name' }).fill('shards CI');
  await page.getByRole('checkbox', { name: "I compared this fingerprint with the one the key's owner gave me" }).check();
  await page.getByRole('button', { name: 'Pin key' }).click();
  await expect(page.getByRole('table', { name: 'Pinned keys' })).toContainText(key.keyId);

  await page.getByRole('button', { name: 'Home', exact: true }).click();
  await page.getByRole('textbox', { name: 'Bundle path on this machine' }).fill(bundle);
  await page.getByRole('button', { name: 'Open', exact: true }).click();

  const verdict = page.getByRole('status', { name: 'Verdict' });
  await expect(verdict.getByRole('heading', { level: 2 })).toHaveText(/Tampered/, { timeout: 60_000 });
  const table = page.getByRole('table', { name: 'Subjects' });
  await expect(table).toHaveAttribute('aria-rowcount', String(SUBJECTS + 1));
  // Only the rows in view (plus overscan) are in the DOM.
  expect(await table.getByRole('row').count()).toBeLessThan(200);

  await page.getByRole('searchbox', { name: 'Filter subjects' }).or(page.getByRole('textbox', { name: 'Filter subjects' })).fill('shard-099999');
  await expect(table.getByRole('row').filter({ hasText: name(SUBJECTS - 1) })).toHaveCount(1);
  await page.getByRole('searchbox', { name: 'Filter subjects' }).or(page.getByRole('textbox', { name: 'Filter subjects' })).fill('');
  await page.getByRole('radio', { name: 'Mismatch' }).check();
  await expect(table).toHaveAttribute('aria-rowcount', '2');
  await expect(table.getByRole('row').filter({ hasText: name(1) })).toContainText('actual');
  await testInfo.attach('large', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
});
