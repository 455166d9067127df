import type { BoardStatus } from '../../../shared/api/contract';
import { classifyBoardPath } from '../../../shared/board-repo/board-paths';
import { formatRelativeTime } from '../format';

/**
 * The board shared through git, in plain words: what waits in the queue, what a problem found on
 * the remote is about ("Alan Turing's rejection of fraud-detector@m92 is missing on the remote;
 * restored from this computer"), how fresh each member's log is. Names come from board files:
 * the view shows every returned string through OutsideText.
 */

export type BoardProblem = BoardStatus['problems'][number];

/** What the sentences need to name things: the releases, decisions, notices, logs and policies accepted here. */
export type BoardNames = Pick<BoardStatus, 'releases' | 'decisions' | 'notices' | 'logs' | 'chain' | 'pending'>;

const DECISION_NOUN = { approve: 'approval', reject: 'rejection', abstain: 'abstention' } as const;

/** "fraud-detector@m92", or the digest's start when the release is not known here. */
export function releaseLabel(names: Pick<BoardNames, 'releases'>, manifestDigest: string): string {
  const release = names.releases.find((candidate) => candidate.manifestDigest === manifestDigest);
  if (release === undefined || (release.name === null && release.version === null)) return `the release sha256:${manifestDigest.slice(0, 12)}…`;
  return `${release.name ?? 'unnamed'}@${release.version ?? 'unversioned'}`;
}

/** The board file a path names, as words: "Alan Turing's rejection of fraud-detector@m92". */
export function boardFileWords(path: string, names: BoardNames): string {
  const kind = classifyBoardPath(path);
  if (kind === null) return `The file ${path}`;
  const memberOfLog = (fingerprint: string) => names.logs.find((log) => log.fingerprint === fingerprint)?.memberName ?? 'a member';
  const policyVersion = (digest: string) => [...names.chain, ...names.pending].find((link) => link.digest === digest)?.version ?? null;
  switch (kind.kind) {
    case 'approval': {
      const decision = names.decisions.find((candidate) => candidate.path === path);
      const release = releaseLabel(names, kind.manifestDigest);
      return decision === undefined ? `A decision on ${release}` : `${decision.reviewer}'s ${DECISION_NOUN[decision.decision]} of ${release}`;
    }
    case 'release':
      return `The published release ${releaseLabel(names, kind.manifestDigest)}`;
    case 'release-lineage':
      return `The lineage file ${kind.fileName} of ${releaseLabel(names, kind.manifestDigest)}`;
    case 'policy':
      return `Board policy version ${kind.version}`;
    case 'endorsement': {
      const version = policyVersion(kind.policyDigest);
      return version === null ? 'An endorsement of a board policy' : `An endorsement of board policy version ${version}`;
    }
    case 'notice': {
      const notice = names.notices.find((candidate) => candidate.digest === kind.digest);
      return notice === undefined ? 'A notice' : `${notice.issuer}'s notice against ${notice.target}`;
    }
    case 'revocation':
      return 'A key revocation';
    case 'log-leaves':
      return `${possessive(memberOfLog(kind.member))} log (entries up to ${kind.end})`;
    case 'log-checkpoint':
      return `${possessive(memberOfLog(kind.member))} log head at size ${kind.end}`;
    case 'log-cosignature':
      return `${possessive(memberOfLog(kind.witness))} cosignature of ${possessive(memberOfLog(kind.member))} log`;
  }
}

/**
 * A problem the board's checks found, as one sentence a reviewer understands. The host's own
 * message stays available as the detail (it names the file and the technical reason).
 */
export function problemSentence(problem: BoardProblem, names: BoardNames): string {
  const what = problem.path === null ? null : boardFileWords(problem.path, names);
  if (problem.queued === true) return `${what ?? 'An object'} queued on this computer would be refused by the board, so it was not published and has left the queue (see Details).`;
  switch (problem.code) {
    case 'missing-on-remote':
      return `${what ?? 'A file'} is missing on the remote; restored from this computer.`;
    case 'changed-on-remote':
      return `${what ?? 'A file'} was changed on the remote; the copy this computer accepted is kept and written back.`;
    case 'name-mismatch':
      return `${what ?? 'A file'} on the remote does not hold what its name says; it is ignored.`;
    case 'bad-signature':
      return `${what ?? 'A file'} on the remote is not signed by the member it names; it is ignored.`;
    case 'approval-moved':
      return `${what ?? 'A decision'} is a decision on another release copied under this one; it is ignored.`;
    case 'wrong-board':
      return `${what ?? 'A file'} was made for another board; it is ignored.`;
    case 'not-a-member':
      return "The remote holds the log of a key that is no member's; it is ignored.";
    case 'genesis-mismatch':
      return 'The remote now holds another board: its first policy is not the one this computer pinned. Nothing from it is used; the board is kept as this computer accepted it.';
    case 'genesis-missing':
      return 'The remote holds no board policy with the digest this computer pinned. Nothing from it is used.';
    case 'competing-successors':
      return 'Two different next versions of the board policy were each endorsed by enough members; the board stays on the version in force until the members settle it.';
    case 'log-broken':
    case 'log-rewritten':
      return `${what ?? "A member's log"} is not a valid continuation of what this computer accepted; it is accepted only up to where it holds.`;
    case 'log-lists-missing':
      return 'A member\'s log lists a file the remote no longer holds and this computer never had: it was deleted from the board.';
    case 'cosignature-invalid':
      return `${what ?? 'A cosignature'} does not verify; it is ignored.`;
    case 'unreadable':
      return `${what ?? 'A file'} on the remote cannot be read; it is ignored.`;
    default:
      return problem.message;
  }
}

/** "3 approvals and 1 release waiting: offline"; "Nothing waiting to be pushed." */
export function queueWords(queue: readonly string[], lastSync: BoardStatus['lastSync']): string {
  if (queue.length === 0) return 'Nothing waiting to be pushed.';
  const counts = new Map<string, number>();
  const add = (noun: string) => counts.set(noun, (counts.get(noun) ?? 0) + 1);
  for (const path of queue) {
    const kind = classifyBoardPath(path)?.kind;
    // A release travels with its lineage files: one release, not several objects.
    if (kind === 'release-lineage' || kind === undefined) continue;
    add(QUEUE_NOUN[kind]);
  }
  // Always in the same order, decisions first: they are what a reviewer queues most.
  const parts = Object.values(QUEUE_NOUN).flatMap((noun) => {
    const count = counts.get(noun) ?? 0;
    return count === 0 ? [] : [`${count} ${count === 1 ? noun : plural(noun)}`];
  });
  const what = parts.length === 0 ? `${queue.length} ${queue.length === 1 ? 'file' : 'files'}` : listWords(parts);
  const why = lastSync?.outcome === 'offline' ? 'offline' : 'until the next sync';
  return `${what} waiting: ${why}`;
}

const QUEUE_NOUN: Record<Exclude<NonNullable<ReturnType<typeof classifyBoardPath>>['kind'], 'release-lineage'>, string> = {
  approval: 'approval',
  release: 'release',
  policy: 'policy proposal',
  endorsement: 'endorsement',
  notice: 'notice',
  revocation: 'key revocation',
  'log-leaves': 'log entry file',
  'log-checkpoint': 'log head',
  'log-cosignature': 'cosignature',
};

/** "Synced 5 minutes ago", "Offline 2 hours ago: the remote could not be reached", "Never synced". */
export function lastSyncWords(lastSync: BoardStatus['lastSync'], now: Date): string {
  if (lastSync === null) return 'Never synced.';
  const when = formatRelativeTime(lastSync.at, now);
  switch (lastSync.outcome) {
    case 'synced':
      return `Synced ${when}.`;
    case 'offline':
      return `Tried ${when}: the remote could not be reached (offline). Nothing is lost; the queue waits.`;
    case 'problems':
      return `Synced ${when}, with problems (below).`;
  }
}

/** "Ada Byron: 1 of the 2 needed", for a proposed policy version short of its quorum. */
export function pendingWords(pending: BoardStatus['pending'][number]): string {
  const by = pending.endorsedBy.length === 0 ? 'nobody yet' : listWords(pending.endorsedBy);
  return `endorsed by ${by}: ${pending.endorsedBy.length} of the ${pending.needed} needed`;
}

/** How fresh a member's log head is: when another member last cosigned it. */
export function freshnessWords(log: BoardStatus['logs'][number], now: Date): string {
  return log.lastCosignedAt === null ? 'not cosigned by anyone yet' : `last cosigned ${formatRelativeTime(log.lastCosignedAt, now)}`;
}

function possessive(name: string): string {
  return name === 'a member' ? "a member's" : `${name}'s`;
}

function plural(noun: string): string {
  if (noun.endsWith('y') && !noun.endsWith('ey')) return `${noun.slice(0, -1)}ies`;
  return `${noun}s`;
}

function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]!}`;
}

/** The genesis digest typed to pin a board: empty (trust on first use), `sha256:<hex>` or bare hex. */
export function readGenesis(text: string): { digest: string | null } | { problem: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { digest: null };
  const hex = trimmed.replace(/^sha256:/i, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) return { problem: 'The genesis digest is "sha256:" followed by 64 hex digits, as a member of the board gives it to you.' };
  return { digest: hex };
}
