import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { sha256Hex } from '../../../shared/crypto/hash';
import { lineageFormatOf } from '../../../shared/lineage/lineage-sources';
import type { ManifestCheck } from '../../../shared/verify/check-manifest';
import { MAX_MANIFEST_BYTES } from '../../../shared/verify/check-manifest';
import { withAttestations } from '../../../shared/verify/attestations';
import type { AttestationCheck, VerificationReport } from '../../../shared/verify/report';
import type { TrustContext } from '../../../shared/verify/trust';
import { readBundleApprovals, type ApprovalFileBytes } from '../approvals/bundle-approvals';
import { BundleError } from '../bundle/bundle-error';
import { classifyBundle, type BundleLayout } from '../bundle/layout';
import type { BundleLimits } from '../bundle/limits';
import { openBundle, readBundleFile, type OpenedBundle } from '../bundle/open-bundle';
import { readBundleDeployment, type BundleDeployment } from '../deployment/diff-bundle-deployment';
import type { HashCache } from '../hashing/hash-cache';
import type { HashPool } from '../hashing/hash-files';
import type { JobControl } from '../jobs/job-registry';
import { loadBundleLineage, loadLineageFile, type LoadedLineage } from '../lineage/load-lineage';
import { readOfferedKeys, type ReadOfferedKey } from '../verification/offered-keys';
import { attestationPaths, checkAttestations } from '../verification/verify-attestations';
import { checkManifestUnder, hashSubjects, reportOf, type HashedSubjects } from '../verification/verify-bundle';
import { trustFromProfile, type TrustOptions } from '../foreign/load-trust-flags';
import { verifyForeignSignature } from '../foreign/registry';
import type { ForeignFormat } from '../../../shared/verify/foreign/detect-format';
import { FORMAT_NAMES } from '../../../shared/verify/foreign/foreign-report';
import { locateForeignTarget, type ForeignTarget } from './foreign-target';
import { SessionError } from './session-error';

/** Asked of a foreign session, a bundle-only question (approvals, deployment, lineage, release) answers with this subcode. */
export const NOT_A_BUNDLE = 'not-a-bundle';

/** What `session.open` may open besides a bundle: the app asks for foreign targets, the command line does not. */
export interface SessionOpenOptions {
  /** Open a model directory holding `model.sig`, or a file with a Sigstore bundle beside it, as a foreign session. */
  acceptForeign?: boolean;
  /** The target's signature, chosen by the person: the target is then always foreign. */
  signature?: string;
}

/** The app gives no trust flags: the profile's trust, the OMS defaults, one trusted key. */
const PROFILE_TRUST_OPTIONS: TrustOptions = { namespace: null, links: null, ignorePaths: [], ignoreUnsignedFiles: false, threshold: 1 };

export interface SessionServices {
  hashPool: HashPool;
  hashCache?: HashCache;
  /** Where archives are unpacked: the host's own folder of session directories. */
  tempRoot?: string;
  limits?: Partial<BundleLimits>;
  now?: () => Date;
}

/** How a blob looked on disk when it was hashed; a directory bundle edited since is caught before approving. */
interface FileStamp {
  size: number;
  mtimeMs: number;
  ino: number;
}

/**
 * One opened bundle and everything learnt from it, held until it is closed: the unpacked tree
 * (an archive is unpacked once), its layout, the manifest bytes, the offered keys, the blob
 * digests and, on demand, its approvals, lineage and deployment. Every answer about the bundle
 * comes from this snapshot, so every panel of a screen concerns the same manifest digest.
 *
 * Trust may change while a session is open (a key pinned, a board policy imported): signatures
 * are then checked again from the bytes held here, and nothing is hashed or unpacked again.
 */
export class ReviewSession {
  private hashing: Promise<HashedSubjects> | null = null;
  private approvalsRead: Promise<ApprovalFileBytes[]> | null = null;
  private lineageRead: Promise<LoadedLineage> | null = null;
  private deploymentRead: Promise<BundleDeployment> | null = null;
  private lastCheck: { trust: TrustContext; check: ManifestCheck } | null = null;
  private lastAttestations: { trust: TrustContext; checking: Promise<AttestationCheck[]> } | null = null;
  private stamps: Map<string, FileStamp> | null = null;
  private closing: Promise<void> | null = null;
  private foreignReport: { trust: TrustContext; report: Promise<VerificationReport> } | null = null;

  private constructor(
    readonly id: string,
    readonly sourcePath: string,
    private readonly bundle: OpenedBundle | null,
    private readonly layout: BundleLayout | null,
    private readonly manifestBytes: Uint8Array | null,
    private readonly offered: readonly ReadOfferedKey[],
    private readonly lineageFile: LoadedLineage | null,
    private readonly services: SessionServices,
    private readonly foreign: ForeignTarget | null = null,
  ) {}

  /**
   * Opens `path`: a bundle (directory or archive), or a lineage file on its own, which answers
   * lineage questions only. Nothing is hashed yet: `report` does that once.
   */
  static async open(id: string, path: string, services: SessionServices, job: JobControl = {}, options: SessionOpenOptions = {}): Promise<ReviewSession> {
    const format = lineageFormatOf(basename(path));
    if (options.signature === undefined && format !== null && (await stat(path).catch(() => null))?.isFile() === true) {
      return new ReviewSession(id, path, null, null, null, [], await loadLineageFile(path, format), services);
    }
    if (options.acceptForeign === true || options.signature !== undefined) {
      const foreign = await locateForeignTarget(path, options.signature ?? null);
      if (foreign !== null) return new ReviewSession(id, path, null, null, null, [], null, services, foreign);
    }
    const bundle = await openBundle(path, {
      ...(job.signal ? { signal: job.signal } : {}),
      ...(services.tempRoot ? { tempRoot: services.tempRoot } : {}),
      ...(services.limits ? { limits: services.limits } : {}),
    });
    try {
      const layout = classifyBundle(bundle.entries.keys());
      const manifestBytes = layout.manifest ? await readBundleFile(bundle, layout.manifest, MAX_MANIFEST_BYTES) : null;
      const offered = await readOfferedKeys(bundle, layout);
      return new ReviewSession(id, path, bundle, layout, manifestBytes, offered, null, services);
    } catch (error) {
      await bundle.close();
      throw error;
    }
  }

  get isBundle(): boolean {
    return this.bundle !== null;
  }

  /** bundle: every question; foreign: a signature another tool made, verified only; lineage-file: lineage questions only. */
  get kind(): 'bundle' | 'foreign' | 'lineage-file' {
    return this.bundle !== null ? 'bundle' : this.foreign !== null ? 'foreign' : 'lineage-file';
  }

  /** The format of a foreign session's signature, decided from its content; null for a bundle or lineage file. */
  get signatureFormat(): ForeignFormat | null {
    return this.foreign?.format ?? null;
  }

  /** Refuses a foreign session (subcode not-a-bundle) before a bundle-only question checks anything else. */
  assertNotForeign(): void {
    if (this.foreign !== null) this.requireBundle();
  }

  /** The signature file of a foreign session. */
  get signaturePath(): string | null {
    return this.foreign?.signature.path ?? null;
  }

  get format(): OpenedBundle['format'] | null {
    return this.bundle?.format ?? null;
  }

  /** The bundle folder, for a directory bundle (approvals can be saved into it); null for an archive. */
  get folder(): string | null {
    return this.bundle?.format === 'directory' ? this.bundle.root : null;
  }

  /** The manifest check under `trust`, from the bytes held; repeated only when trust changed. */
  manifestCheck(trust: TrustContext): ManifestCheck {
    this.requireBundle();
    if (this.lastCheck?.trust !== trust) this.lastCheck = { trust, check: checkManifestUnder(this.manifestBytes, trust, this.offered) };
    return this.lastCheck.check;
  }

  /** sha256 of the manifest payload (what approvals bind to), or null when it cannot be read. */
  manifestDigest(trust: TrustContext): string | null {
    return this.manifestCheck(trust).summary?.digest ?? null;
  }

  /**
   * The verification report under `trust`. The blobs are hashed the first time only (with the
   * job's progress and cancel); a cancelled hashing is started again by the next call.
   */
  async report(trust: TrustContext, job: JobControl = {}): Promise<VerificationReport> {
    if (this.foreign !== null) return this.reportForeign(this.foreign, trust, job);
    const { bundle, layout } = this.requireBundle();
    const check = this.manifestCheck(trust);
    if (this.hashing === null) {
      const hashing = this.hashBlobs(bundle, layout, check, job);
      this.hashing = hashing;
      hashing.catch(() => {
        if (this.hashing === hashing) this.hashing = null;
      });
    }
    const hashed = await this.hashing;
    const now = (this.services.now ?? (() => new Date()))();
    const report = reportOf(bundle, check, hashed, this.offered, trust, now);
    const attestations = await this.attestations(bundle, layout, check, trust, now, job);
    return withAttestations(report, attestations);
  }

  /** The bundle's attestations/ files under `trust`'s producers; checked again only when trust changed. */
  private async attestations(bundle: OpenedBundle, layout: BundleLayout, check: ManifestCheck, trust: TrustContext, now: Date, job: JobControl): Promise<AttestationCheck[]> {
    const paths = attestationPaths(layout.other);
    if (paths.length === 0) return [];
    if (this.lastAttestations?.trust !== trust) {
      const flags = trustFromProfile(trust, { namespace: null, links: null, ignorePaths: [], ignoreUnsignedFiles: false, threshold: 1 });
      const checking = checkAttestations(bundle, paths, check.manifest, trust, flags, { hashPool: this.services.hashPool, now, job });
      this.lastAttestations = { trust, checking };
      checking.catch(() => {
        if (this.lastAttestations?.checking === checking) this.lastAttestations = null;
      });
    }
    return this.lastAttestations!.checking;
  }

  /** The manifest envelope's bytes as read when the session opened (what every answer concerns), or null when there is none. */
  manifestEnvelope(): Uint8Array | null {
    this.requireBundle();
    return this.manifestBytes;
  }

  offeredKeys(): readonly ReadOfferedKey[] {
    this.requireBundle();
    return this.offered;
  }

  /** The bundle's approvals/ files, read once from the snapshot. */
  bundleApprovals(): Promise<ApprovalFileBytes[]> {
    const { bundle } = this.requireBundle();
    return (this.approvalsRead ??= readBundleApprovals(bundle));
  }

  /**
   * An approval this session wrote into the bundle folder's approvals/: it joins what the
   * snapshot holds, so later answers include it without reading the folder again.
   */
  async recordWrittenApproval(approval: ApprovalFileBytes): Promise<void> {
    const held = await this.bundleApprovals();
    this.approvalsRead = Promise.resolve([...held, approval]);
  }

  /** The bundle's own proposed deployment (FORMATS §9), read once. */
  bundleDeployment(): Promise<BundleDeployment> {
    const { bundle, layout } = this.requireBundle();
    return (this.deploymentRead ??= forget(readBundleDeployment(bundle, layout.deployment), () => (this.deploymentRead = null)));
  }

  /** True for a lineage file, and for a bundle with at least one lineage file at its root. */
  get hasLineage(): boolean {
    return this.lineageFile !== null || (this.layout?.lineage.length ?? 0) > 0;
  }

  /** The lineage graph: the lineage file opened, or the bundle's lineage files merged; read once. */
  lineage(): Promise<LoadedLineage> {
    if (this.lineageFile !== null) return Promise.resolve(this.lineageFile);
    const { bundle } = this.requireBundle();
    return (this.lineageRead ??= forget(loadBundleLineage(bundle), () => (this.lineageRead = null)));
  }

  /** The lineage files at the bundle's root (FORMATS §9), by file name, as a board publishes them with the release. */
  async lineageFiles(): Promise<Map<string, Uint8Array>> {
    const { bundle, layout } = this.requireBundle();
    const lineage = new Map<string, Uint8Array>();
    for (const relPath of layout.lineage) lineage.set(relPath, await readBundleFile(bundle, relPath, MAX_MANIFEST_BYTES));
    return lineage;
  }

  /**
   * Before a signature is made over what this session verified: the manifest file still holds
   * the bytes verified, and no hashed blob of a bundle folder changed on disk since. An archive's
   * snapshot is private to the session; a folder is the person's own and can be edited.
   */
  async assertUnchanged(): Promise<void> {
    const { bundle, layout } = this.requireBundle();
    if (layout.manifest !== null && this.manifestBytes !== null) {
      const now = await readBundleFile(bundle, layout.manifest, MAX_MANIFEST_BYTES).catch(() => null);
      if (now === null || sha256Hex(now) !== sha256Hex(this.manifestBytes)) throw changed(this.sourcePath, layout.manifest);
    }
    for (const [absPath, before] of this.stamps ?? []) {
      const after = await stat(absPath).catch(() => null);
      if (after === null || after.size !== before.size || after.mtimeMs !== before.mtimeMs || after.ino !== before.ino) {
        const entry = [...bundle.entries.values()].find((candidate) => candidate.absPath === absPath);
        throw changed(this.sourcePath, entry?.relPath ?? absPath);
      }
    }
  }

  /** Removes the private temporary directory of an archive; idempotent. */
  close(): Promise<void> {
    return (this.closing ??= this.bundle?.close() ?? Promise.resolve());
  }

  private async hashBlobs(bundle: OpenedBundle, layout: BundleLayout, check: ManifestCheck, job: JobControl): Promise<HashedSubjects> {
    const stamps = bundle.format === 'directory' ? await stampBlobs(bundle, layout) : null;
    const hashed = await hashSubjects(bundle, layout, check, this.services, job);
    this.stamps = stamps;
    return hashed;
  }

  /**
   * A foreign signature's report under `trust`: the signature bytes read at opening, the files
   * hashed by its verifier. Repeated for the same trust, the report held is answered; after a
   * trust change the target is verified again (a foreign verifier hashes as it checks).
   */
  private reportForeign(foreign: ForeignTarget, trust: TrustContext, job: JobControl): Promise<VerificationReport> {
    if (this.foreignReport?.trust === trust) return this.foreignReport.report;
    const report = verifyForeignSignature({
      format: foreign.format,
      target: foreign.target,
      signature: { path: foreign.signature.path, bytes: foreign.signature.bytes, separate: true },
      trust: trustFromProfile(trust, PROFILE_TRUST_OPTIONS),
      job,
      hashPool: this.services.hashPool,
      now: (this.services.now ?? (() => new Date()))(),
    });
    const held = { trust, report };
    this.foreignReport = held;
    report.catch(() => {
      if (this.foreignReport === held) this.foreignReport = null;
    });
    return report;
  }

  private requireBundle(): { bundle: OpenedBundle; layout: BundleLayout } {
    if (this.foreign !== null) {
      throw new SessionError(
        'unsupported',
        `${basename(this.sourcePath)} holds ${FORMAT_NAMES[this.foreign.format]}, not a Countersign bundle: approvals, deployment, lineage and the release summary are not available for it.`,
        NOT_A_BUNDLE,
      );
    }
    if (this.bundle === null || this.layout === null) {
      throw new SessionError('unsupported', `${basename(this.sourcePath)} is a lineage file, not a bundle: only lineage questions can be asked of it.`);
    }
    return { bundle: this.bundle, layout: this.layout };
  }
}

async function stampBlobs(bundle: OpenedBundle, layout: BundleLayout): Promise<Map<string, FileStamp>> {
  const stamps = new Map<string, FileStamp>();
  for (const relPath of layout.artifacts.values()) {
    const entry = bundle.entries.get(relPath);
    if (entry === undefined) continue;
    const stats = await stat(entry.absPath).catch(() => null);
    if (stats !== null) stamps.set(entry.absPath, { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino });
  }
  return stamps;
}

function changed(sourcePath: string, relPath: string): BundleError {
  return new BundleError('conflict', `${relPath} in ${sourcePath} changed since the bundle was verified: open it again to review what it holds now.`, relPath);
}

/** A memoised load that is forgotten when it fails, so that the next question tries again. */
function forget<T>(promise: Promise<T>, onFailure: () => void): Promise<T> {
  promise.catch(onFailure);
  return promise;
}
