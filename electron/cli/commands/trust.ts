import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BoardPreview, BoardSummary, PinnedKey } from '../../../shared/api/contract';
import { parsePublicKey } from '../../../shared/crypto/keys';
import { ruleSentences } from '../../../shared/board/rule-words';
import { fields, jsonText } from '../../../shared/text/neutralise';
import { withDispatcher } from '../cli-dispatcher';
import { ExitCode, UsageError } from '../exit-codes';
import { writeOut } from '../output';
import { readTextFile } from '../read-text-file';
import { readTrustFile } from '../../services/foreign/load-trust-flags';

/** As `trust.pin` and `trust.importBoard` accept them. */
const MAX_PUBLIC_KEY_BYTES = 16_384;
const MAX_BOARD_POLICY_BYTES = 4 * 1024 * 1024;
const MAX_TRUSTED_ROOT_BYTES = 16 * 1024 * 1024;

export const trustUsage = `countersign trust pin|import-board|import-root|list [options] [--json] [--data-dir <dir>]

  countersign trust pin <public key file> --fingerprint <SHA256:...> [--name <name>]
      pin a producer's public key (an OpenSSH line or a PEM SubjectPublicKeyInfo block) after
      comparing its fingerprint with the one given, as \`ssh-keygen -lf <file>\` prints it;
      the name defaults to the key's comment, else the file's name
  countersign trust import-board <board.json> [--yes]
      print what the board policy holds and what it changes against the current one; with
      --yes, import it (the digest previewed is the digest imported)
  countersign trust import-root <trusted_root.json>
      keep a Sigstore trusted root in the profile for producers' keyless identities; refused
      unless the imported board policy pins its exact sha256 ("sigstoreTrustedRoot")
  countersign trust list
      the pinned keys and the imported board policy

  Sets up trust without the app, on a CI machine or a reviewer's terminal.
  Exit: 0 done (or previewed), 2 bad input: a fingerprint that is not the key's (nothing is
  pinned), an unreadable key, a board policy the parser refuses (nothing is imported), or usage.`;

export async function trustCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { fingerprint: { type: 'string' }, name: { type: 'string' }, yes: { type: 'boolean' }, json: { type: 'boolean' }, 'data-dir': { type: 'string' } },
  });
  const [action, ...operands] = positionals;
  const print = (json: unknown, human: string) => writeOut((values.json ? jsonText(json) : human) + '\n');
  const needs = (count: number, what: string) => {
    if (operands.length !== count) throw new UsageError(`trust ${action ?? ''} takes ${what}.\n\n${trustUsage}`);
  };
  const profile = { dataDir: values['data-dir'] };

  switch (action) {
    case 'pin': {
      needs(1, 'one public key file');
      if (values.fingerprint === undefined) throw new UsageError(`trust pin needs --fingerprint <SHA256:...>, the key's fingerprint compared by eye.\n\n${trustUsage}`);
      const confirmKeyId = values.fingerprint;
      const keyFile = operands[0]!;
      const publicKey = await readTextFile(keyFile, MAX_PUBLIC_KEY_BYTES, 'The public key file');
      const name = values.name ?? defaultKeyName(publicKey, keyFile);
      const pinned = await withDispatcher(profile, (call) => call('trust.pin', { publicKey, name, confirmKeyId }));
      print(pinned, fields`Pinned ${pinned.keyId}  ${pinned.name}`);
      return ExitCode.ok;
    }
    case 'import-board': {
      needs(1, 'one board policy file');
      const text = await readTextFile(operands[0]!, MAX_BOARD_POLICY_BYTES, 'The board policy file');
      return withDispatcher(profile, async (call) => {
        const preview = await call('trust.previewBoard', { text });
        if (!values.yes) {
          print({ preview, imported: null }, `${formatBoardPreview(preview)}\n\nNothing imported: run again with --yes to import this policy (digest ${preview.next.digest}).`);
          return ExitCode.ok;
        }
        const imported = await call('trust.importBoard', { text, confirmDigest: preview.next.digest });
        print({ preview, imported }, `${formatBoardPreview(preview)}\n\n${fields`Imported "${imported.board}" version ${imported.version} (digest ${imported.digest}).`}`);
        return ExitCode.ok;
      });
    }
    case 'import-root': {
      needs(1, 'one trusted_root.json file');
      const bytes = await readTrustFile(operands[0]!, MAX_TRUSTED_ROOT_BYTES, 'trusted root');
      const imported = await withDispatcher(profile, (call) => call('trust.importTrustedRoot', { contentBase64: bytes.toString('base64') }));
      print(imported, fields`Imported the Sigstore trusted root sha256 ${imported.sha256} (${String(imported.bytes)} bytes), pinned by the board policy.`);
      return ExitCode.ok;
    }
    case 'list': {
      needs(0, 'no operand');
      return withDispatcher(profile, async (call) => {
        const keys = await call('trust.keys', {});
        const board = await call('trust.board', {});
        print({ keys, board }, formatTrustList(keys, board));
        return ExitCode.ok;
      });
    }
    default:
      throw new UsageError(`trust takes pin, import-board, import-root or list.\n\n${trustUsage}`);
  }
}

/** The key's own comment when it has one (`ci@example`), else the file's name without `.pub`. */
function defaultKeyName(publicKey: string, keyFile: string): string {
  let comment: string | null = null;
  try {
    comment = parsePublicKey(publicKey).comment;
  } catch {
    // trust.pin says what is wrong with the key.
  }
  const name = comment?.trim() || path.basename(keyFile).replace(/\.pub$/, '');
  return name.slice(0, 200);
}

function formatBoardSummary(board: BoardSummary): string[] {
  return [
    fields`Board "${board.board}" version ${board.version}`,
    fields`  digest sha256 ${board.digest}`,
    'Members',
    ...board.members.map((member) => fields`  ${member.name} (${member.roles.join(', ') || 'no roles'}): ${member.keyIds.join(', ') || 'no readable key'}`),
    'Producers',
    ...(board.producers.length > 0 ? board.producers.flatMap((producer) => [fields`  ${producer.name}: ${producer.keyIds.join(', ') || 'no readable key'}`, ...(producer.anchors ?? []).filter((anchor) => anchor.kind !== 'key').map((anchor) => fields`    ${anchor.kind} ${anchor.label} (${anchor.detail})`)]) : ['  (none)']),
    ...(board.sigstoreTrustedRoot ? [fields`Sigstore trusted root sha256 ${board.sigstoreTrustedRoot.sha256} (${board.sigstoreTrustedRoot.held ? 'held in this profile' : 'not imported: countersign trust import-root <trusted_root.json>'})`] : []),
    ...(board.revokedKeys.length > 0 ? ['Revoked keys', ...board.revokedKeys.map((keyId) => fields`  ${keyId}`)] : []),
    'Rules',
    ...ruleSentences(board.rules).map((sentence) => fields`  ${sentence}`),
  ];
}

export function formatBoardPreview(preview: BoardPreview): string {
  return [...formatBoardSummary(preview.next), 'Changes against the current policy', ...preview.changes.map((change) => fields`  - ${change}`)].join('\n');
}

function formatTrustList(keys: readonly PinnedKey[], board: BoardSummary | null): string {
  return [
    'Pinned keys',
    ...(keys.length > 0 ? keys.map((key) => fields`  ${key.keyId}  ${key.name}  (pinned ${key.pinnedAt})`) : ['  (none)']),
    '',
    ...(board === null ? ['No board policy imported.'] : [...formatBoardSummary(board), fields`  imported ${board.importedAt ?? ''}`]),
  ].join('\n');
}
