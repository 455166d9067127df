/**
 * Test helper run as its own process (node --import tsx crash-child.ts <scenario> <dataDir> ...):
 * performs one audited action on the profile and kills itself with SIGKILL at the dangerous
 * point of that action, as a power cut or `kill -9` would. Used by crash-atomicity.test.ts.
 *
 *   generate <dataDir>                    SIGKILL when the key.generated entry is about to be appended
 *   remove <dataDir> <keyId>              SIGKILL when the key.removed entry is about to be appended
 *   approve <dataDir> <keyId> <bundle> <board.json> after-write|before-write
 *                                         SIGKILL after the approval file is written (before its entry),
 *                                         or after the intent is recorded (before the file is written)
 */
import fs from 'node:fs';
import { buildTrustContext } from '../../../shared/verify/trust';
import { makeApproval } from '../approvals/approval-service';
import { generateKey, removeKey, type AtomicAuditSink } from '../approvals/audited-keys';
import { createHashPool } from '../hashing/hash-files';
import { ReviewSession } from '../session/review-session';
import { openStore } from '../store/store';
import { parseBoardPolicyBytes } from '../trust/board-file';

/** The passphrase of the keys the test made (crash-atomicity.test.ts). */
const CRASH_PASSPHRASE = 'crash test passphrase';

const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable: SIGKILL was sent');
};

const [scenario, dataDir, ...rest] = process.argv.slice(2);
if (dataDir === undefined) throw new Error('usage: crash-child.ts <scenario> <dataDir> ...');
const store = openStore(dataDir);
const killedAtAppend: AtomicAuditSink = { atomically: (what, fn) => store.audit.atomically(what, fn), append: () => die() };

if (scenario === 'generate') {
  await generateKey(store.keys, killedAtAppend, `crash-${process.pid}`, CRASH_PASSPHRASE);
} else if (scenario === 'remove') {
  removeKey(store.keys, killedAtAppend, rest[0]!);
} else if (scenario === 'approve') {
  const [keyId, bundle, boardFile, point] = rest as [string, string, string, 'after-write' | 'before-write'];
  const board = parseBoardPolicyBytes(fs.readFileSync(boardFile), boardFile);
  const key = store.keys.list().find((candidate) => candidate.keyId === keyId)!;
  await store.keys.unlock(keyId, CRASH_PASSPHRASE);
  const hashPool = createHashPool();
  const session = await ReviewSession.open('crash', bundle, { hashPool });
  const fileWrites = {
    begin: (intent: Parameters<typeof store.fileWrites.begin>[0]) => {
      const id = store.fileWrites.begin(intent);
      return point === 'before-write' ? die() : id;
    },
    complete: () => die(),
    abandon: (id: number, reason: string) => store.fileWrites.abandon(id, reason),
  };
  await makeApproval(
    session,
    { keyId, decision: 'approve', role: 'risk', destination: { kind: 'bundle' } },
    {
      board,
      trust: buildTrustContext({ source: 'board-file', board: board.policy }),
      profileApprovals: null,
      signer: { nameOf: (id) => (id === keyId ? key.name : null), isUnlocked: (id) => store.keys.isUnlocked(id), sign: async (id, message) => store.keys.sign(id, message) },
      audit: store.audit,
      fileWrites,
    },
  );
} else {
  throw new Error(`unknown scenario ${scenario}`);
}
// Reaching this line means the dangerous point was never reached: the test sees exit code 3.
process.exit(3);
