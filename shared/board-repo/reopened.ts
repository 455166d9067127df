import { rfc3339ToEpochMillis } from '../formats/rfc3339';
import { importLineageFile, lineageFormatOf } from '../lineage/lineage-sources';
import type { BoardNotice, BoardRelease, VerifiedBoard } from './verify-board';

/**
 * Which releases each notice re-opens: those whose published lineage has the node it names, and
 * those pinning the subject digest it names. A re-opened release's approvals made before the
 * notice no longer count; an approval made after it was made with the notice on the board, which
 * is how a member acknowledges it.
 */
export function releasesReopenedBy(notice: BoardNotice, releases: Iterable<BoardRelease>): string[] {
  const reopened: string[] = [];
  for (const release of releases) {
    if ('subject' in notice.target ? release.subjectDigests.includes(notice.target.subject) : lineageNodeIds(release).has(notice.target.node)) {
      reopened.push(release.manifestDigest);
    }
  }
  return reopened.sort();
}

function lineageNodeIds(release: BoardRelease): Set<string> {
  const ids = new Set<string>();
  for (const [fileName, bytes] of release.lineage) {
    const format = lineageFormatOf(fileName);
    if (format === null) continue;
    try {
      for (const node of importLineageFile(fileName, format, bytes).nodes) ids.add(node.id);
    } catch {
      // An unreadable lineage file re-opens nothing by node; the release view reports the file.
    }
  }
  return ids;
}

/** The notices in force against one release, and the time before which its approvals no longer count. */
export function noticesAgainst(board: VerifiedBoard, manifestDigest: string): { notices: BoardNotice[]; approvalsBefore: number | null } {
  const release = board.releases.get(manifestDigest);
  // Only a release published to the board has a lineage and pins the board knows of.
  const notices = release === undefined ? [] : board.notices.filter((notice) => releasesReopenedBy(notice, [release]).length > 0);
  const latest = notices.reduce<number | null>((at, notice) => Math.max(at ?? 0, rfc3339ToEpochMillis(notice.issuedAt)), null);
  return { notices, approvalsBefore: latest };
}
