/**
 * Test helper run as its own process (node --import tsx busy-writer-child.ts <dataDir> <stopFile>):
 * writes to the profile continuously, one small committed transaction after another with a
 * 2 ms breath between them (as a busy app does while the CLI imports a board policy). Prints "ready" after its first commit and
 * stops when <stopFile> exists, or after a fixed number of writes. Used by import-board-policy.test.ts.
 */
import fs from 'node:fs';
import { openStoreWithConnection } from '../store/store';

const MAX_WRITES = 200_000;
const [dataDir, stopFile] = process.argv.slice(2);
if (dataDir === undefined || stopFile === undefined) throw new Error('usage: busy-writer-child.ts <dataDir> <stopFile>');
const { store, db } = openStoreWithConnection(dataDir);
const write = db.prepare('INSERT INTO hash_cache (path, size, mtime_ns, ino, dev, sha256) VALUES (?, 1, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET size = size + 1');
const breath = new Int32Array(new SharedArrayBuffer(4));
let writes = 0;
for (; writes < MAX_WRITES && !fs.existsSync(stopFile); writes++) {
  db.transaction(() => write.run(`/busy/${writes % 50}`, '1', '1', '1', '0'.repeat(64))).immediate();
  if (writes === 0) process.stdout.write('ready\n');
  Atomics.wait(breath, 0, 0, 2);
}
store.close();
process.stdout.write(`writes ${writes}\n`);
