import { sha256Hex } from '../../../shared/crypto/hash';
import { writeTransaction, type SqliteDatabase } from '../store/database';

/** An approval envelope kept in this profile for one manifest: imported from another reviewer, or made here and exported. */
export interface ProfileApproval {
  fileName: string;
  envelope: Uint8Array;
  reviewer: string;
  origin: 'imported' | 'made';
  storedAt: string;
}

interface ProfileApprovalRow {
  file_name: string;
  envelope: Buffer;
  reviewer: string;
  origin: 'imported' | 'made';
  stored_at: string;
}

/**
 * Approval envelopes kept in the profile, by the manifest digest they approve. They join the
 * bundle's own approvals/ when that manifest is evaluated, so approvals handed over as files
 * count without writing into the bundle (an archive cannot be written into).
 */
export class ProfileApprovals {
  constructor(private readonly db: SqliteDatabase) {}

  forManifest(manifestDigest: string): ProfileApproval[] {
    const rows = this.db
      .prepare('SELECT file_name, envelope, reviewer, origin, stored_at FROM profile_approvals WHERE manifest_digest = ? ORDER BY id')
      .all(manifestDigest) as ProfileApprovalRow[];
    return rows.map((row) => ({ fileName: row.file_name, envelope: new Uint8Array(row.envelope), reviewer: row.reviewer, origin: row.origin, storedAt: row.stored_at }));
  }

  /**
   * Keeps the envelope under a file name unique for its manifest (`-2`, `-3`… added when taken).
   * The same envelope twice is kept once: returns the name it already has and `added: false`.
   */
  add(entry: { manifestDigest: string; fileName: string; envelope: Uint8Array; reviewer: string; origin: ProfileApproval['origin'] }, now: Date = new Date()): { fileName: string; added: boolean } {
    const envelopeSha256 = sha256Hex(entry.envelope);
    return writeTransaction(this.db, 'the approval', () => {
      const existing = this.db
        .prepare('SELECT file_name FROM profile_approvals WHERE manifest_digest = ? AND envelope_sha256 = ?')
        .get(entry.manifestDigest, envelopeSha256) as { file_name: string } | undefined;
      if (existing) return { fileName: existing.file_name, added: false };
      const fileName = this.freeName(entry.manifestDigest, entry.fileName);
      this.db
        .prepare(
          `INSERT INTO profile_approvals (manifest_digest, file_name, envelope, envelope_sha256, reviewer, origin, stored_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(entry.manifestDigest, fileName, Buffer.from(entry.envelope), envelopeSha256, entry.reviewer, entry.origin, now.toISOString());
      return { fileName, added: true };
    });
  }

  private freeName(manifestDigest: string, wanted: string): string {
    const taken = new Set(
      (this.db.prepare('SELECT file_name FROM profile_approvals WHERE manifest_digest = ?').all(manifestDigest) as { file_name: string }[]).map((row) => row.file_name),
    );
    if (!taken.has(wanted)) return wanted;
    const stem = wanted.replace(/\.dsse\.json$/, '');
    for (let n = 2; ; n++) {
      const candidate = `${stem}-${n}.dsse.json`;
      if (!taken.has(candidate)) return candidate;
    }
  }
}

