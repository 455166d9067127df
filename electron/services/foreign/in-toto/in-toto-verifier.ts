import { join, resolve } from 'node:path';
import { DomainError } from '../../../../shared/errors/domain-error';
import { assembleForeignReport, type ForeignFindings } from '../../../../shared/verify/foreign/foreign-report';
import type { Finding, SignatureCheck, SubjectCheck, Verdict, VerificationReport } from '../../../../shared/verify/report';
import { HashCancelledError } from '../../hashing/hash-files';
import type { ForeignVerificationRequest, FormatVerifier } from '../format-verifier';
import { hashTargetFile, type TargetHash } from '../hash-target';
import { checkRawSignature } from '../signature-checks';
import { applyArtifactRules, type RuleViolation } from './artifact-rules';
import { isDirectory, isSafeRelativePath, listLinkFiles, listWorkFiles, readRegularFile } from './in-toto-files';
import { inTotoKeyId, isExpired, MAX_METADATA_BYTES, parseLayout, parseLink, type Layout, type LayoutStep, type Link } from './metadata';

const TARGET_HASHES: readonly TargetHash[] = ['sha256', 'sha384', 'sha512'];

/**
 * in-toto v0.9 layouts and links. The layout must be signed by a `--key` (never by a key it
 * names itself) and not expired; each step needs links from at least `threshold` distinct
 * functionary keys of its `pubkeys`, agreeing with each other, and its artifact rules must hold.
 * Inspections are never run: they are reported as not run. Then the work directory is checked
 * against the last step's signed products (changed, missing, unexpected), which in-toto-verify
 * does not do.
 */
export const inTotoVerifier: FormatVerifier = {
  format: 'in-toto',
  async verify(request) {
    const base = baseFindings(request);
    const layoutSource = request.trust.layout ?? { path: request.signature.path, bytes: request.signature.bytes };
    let layout: Layout;
    try {
      layout = parseLayout(layoutSource.bytes, layoutSource.path);
    } catch (error) {
      return invalid(base, [], 'in-toto-layout-unreadable', `The in-toto layout cannot be used: ${messageOf(error)}`);
    }

    const ownerByInTotoId = new Map(request.trust.keys.map((key) => [inTotoKeyId(key), key]));
    const ownerSignatures = layout.signatures.map((signature, index): SignatureCheck => {
      const check = checkRawSignature(index, signature.keyid, signature.sig, layout.signedBytes, request.trust.keys);
      const named = ownerByInTotoId.get(signature.keyid);
      if (check.status === 'unknown-key' && named !== undefined) {
        return { ...check, keyId: named.keyId, signerName: `layout owner (${named.name})`, trustSource: named.source, status: 'invalid', reason: `Does not verify under ${named.name}, the owner key it names: the layout changed after it was signed.` };
      }
      return { ...check, signerName: check.signerName === null ? null : `layout owner (${check.signerName})` };
    });
    const findings: Finding[] = inspectionFindings(layout);
    if (!ownerSignatures.some((signature) => signature.status === 'valid') && ownerSignatures.some((signature) => signature.status === 'invalid')) {
      return report(base, ownerSignatures, [], findings, 'tampered', ['The layout changed after the owner signed it: its signature by the --key it names does not verify.']);
    }
    if (!ownerSignatures.some((signature) => signature.status === 'valid')) {
      return report(base, ownerSignatures, [], findings, 'untrusted', [
        `The layout is not signed by the owner's key given with --key (${layout.signatures.length} signature(s), none valid under a given key); a key the layout names for itself is never trusted.`,
      ]);
    }
    const expired = isExpired(layout, request.now);

    if (request.trust.linksDirectory === null || !(await isDirectory(request.trust.linksDirectory))) {
      return invalid(base, ownerSignatures, 'in-toto-no-links', 'Give the directory of link metadata with --links (a directory, not a symbolic link).');
    }
    if (request.target.kind !== 'directory') {
      return invalid(base, ownerSignatures, 'in-toto-target-not-directory', `${request.target.path} is a file: an in-toto layout is checked against a work directory.`);
    }

    let steps: StepOutcome[];
    try {
      steps = await verifySteps(layout, request.trust.linksDirectory);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      return invalid(base, ownerSignatures, 'in-toto-link-unreadable', `A link cannot be used: ${messageOf(error)}`);
    }
    const signatures = [...ownerSignatures, ...steps.flatMap((step) => step.signatures)].map((signature, index) => ({ ...signature, index }));
    const verifiedLinks = new Map<string, Link>();
    for (const step of steps) if (step.link !== null) verifiedLinks.set(step.step.name, step.link);

    const violations: RuleViolation[] = [];
    for (const step of steps) {
      if (step.link === null) continue;
      violations.push(...applyArtifactRules(step.step.name, 'materials', step.step.expectedMaterials, step.link, verifiedLinks));
      violations.push(...applyArtifactRules(step.step.name, 'products', step.step.expectedProducts, step.link, verifiedLinks));
    }
    for (const violation of violations) {
      findings.push({ severity: 'warning', code: 'in-toto-rule-violated', message: `Step ${violation.step}, expected_${violation.list} rule "${violation.rule}": ${violation.message}.`, location: violation.step });
    }

    const finalStep = steps.at(-1);
    let disk: DiskCheck = { subjects: [], unexpected: [], bytes: 0 };
    if (finalStep?.link != null) {
      try {
        disk = await checkWorkDirectory(request, layoutSource.path, finalStep.step.name, finalStep.link);
      } catch (error) {
        if (!isRefusal(error)) throw error;
        return invalid(base, signatures, 'in-toto-work-directory-refused', `The work directory cannot be checked: ${messageOf(error)}`);
      }
    } else if (finalStep === undefined) {
      findings.push({ severity: 'warning', code: 'in-toto-no-steps', message: 'The layout has no steps: no product was checked on disk.', location: null });
    }

    const reasons: { verdict: Verdict; reason: string }[] = [];
    if (expired) reasons.push({ verdict: 'untrusted', reason: `The layout expired at ${layout.expires}.` });
    for (const step of steps) reasons.push(...step.problems);
    for (const violation of violations) reasons.push({ verdict: 'tampered', reason: `Step ${violation.step}: expected_${violation.list} rule "${violation.rule}" fails: ${violation.message}.` });
    for (const subject of disk.subjects) if (subject.status === 'mismatch' || subject.status === 'missing') reasons.push({ verdict: 'tampered', reason: subject.reason });

    // A layout nobody may trust (expired) outranks what it says; tampering outranks a threshold not met.
    const verdict: Verdict = expired ? 'untrusted' : reasons.some((r) => r.verdict === 'tampered') ? 'tampered' : reasons.length > 0 ? 'untrusted' : 'verified';
    const stepsNote = `${steps.length} step(s) verified${layout.inspections.length > 0 ? `; ${layout.inspections.length} inspection(s) not run` : ''}`;
    const verifiedReasons = [
      `Layout signed by the owner's key; ${stepsNote}; ${disk.subjects.length} product(s) of step ${finalStep?.step.name ?? '(none)'} match the work directory.`,
      ...(disk.unexpected.length > 0 ? [`${disk.unexpected.length} file(s) in the work directory are no product of the last step.`] : []),
    ];
    return report(base, signatures, disk.subjects, findings, verdict, verdict === 'verified' ? verifiedReasons : reasons.filter((r) => r.verdict === verdict).map((r) => r.reason), disk);
  },
};

interface StepOutcome {
  step: LayoutStep;
  signatures: SignatureCheck[];
  /** The link the verdict and the rules use: one signed by an authorized key, when there is one. */
  link: Link | null;
  problems: { verdict: Verdict; reason: string }[];
}

/**
 * Loads `<step>.<keyid prefix 8>.link` for each key the step authorizes (names from the layout,
 * already refused when they could leave the directory) and counts the distinct authorized keys
 * whose signature verifies. A signature naming an authorized key that fails is tampering.
 */
async function verifySteps(layout: Layout, linksDirectory: string): Promise<StepOutcome[]> {
  const present = await listLinkFiles(linksDirectory);
  const outcomes: StepOutcome[] = [];
  for (const step of layout.steps) {
    const authorized = step.pubkeys.map((keyId) => layout.keys.get(keyId)!);
    const stepKeys = authorized.map((functionary) => ({ ...functionary.key, name: `step ${step.name}, functionary ${functionary.keyId}` }));
    const signatures: SignatureCheck[] = [];
    const problems: StepOutcome['problems'] = [];
    const linkByKey = new Map<string, Link>();
    const fileNames = [...new Set(step.pubkeys.map((keyId) => `${step.name}.${keyId.slice(0, 8)}.link`))];
    for (const fileName of fileNames) {
      if (!present.has(fileName)) continue;
      const link = parseLink(await readRegularFile(join(linksDirectory, fileName), MAX_METADATA_BYTES, fileName), fileName);
      for (const [index, signature] of link.signatures.entries()) {
        const check = checkRawSignature(index, signature.keyid, signature.sig, link.signedBytes, stepKeys);
        if (check.status === 'valid' && link.name !== step.name) {
          signatures.push({ ...check, status: 'invalid', reason: `${fileName} is signed for step ${JSON.stringify(link.name)}, not ${JSON.stringify(step.name)}.` });
          problems.push({ verdict: 'tampered', reason: `${fileName} records step ${JSON.stringify(link.name)}, not ${JSON.stringify(step.name)}.` });
          continue;
        }
        signatures.push({ ...check, reason: `${fileName}: ${check.reason}` });
        if (check.status === 'valid' && check.keyId !== null && !linkByKey.has(check.keyId)) linkByKey.set(check.keyId, link);
        if (check.status === 'invalid') problems.push({ verdict: 'tampered', reason: `${fileName}: a signature naming functionary ${check.keyId} of step ${step.name} does not verify.` });
      }
    }
    const links = [...linkByKey.values()];
    const first = links[0] ?? null;
    if (first !== null && links.some((link) => !sameArtifacts(link, first))) {
      problems.push({ verdict: 'tampered', reason: `Step ${step.name}: the links of its functionaries record different materials or products.` });
    }
    if (linkByKey.size < step.threshold) {
      problems.push({ verdict: 'untrusted', reason: `Step ${step.name}: ${linkByKey.size} distinct authorized functionary key(s) signed a link; ${step.threshold} required.` });
    }
    outcomes.push({ step, signatures, link: first, problems });
  }
  return outcomes;
}

function sameArtifacts(a: Link, b: Link): boolean {
  const same = (x: Link['materials'], y: Link['materials']) =>
    x.size === y.size && [...x].every(([path, digests]) => JSON.stringify(Object.entries(digests).sort()) === JSON.stringify(Object.entries(y.get(path) ?? {}).sort()));
  return same(a.materials, b.materials) && same(a.products, b.products);
}

interface DiskCheck {
  subjects: SubjectCheck[];
  unexpected: string[];
  bytes: number;
}

/** The last step's signed products against the work directory: each present with the same digest, and what else is there. */
async function checkWorkDirectory(request: ForeignVerificationRequest, layoutPath: string, stepName: string, link: Link): Promise<DiskCheck> {
  for (const path of link.products.keys()) {
    if (!isSafeRelativePath(path)) throw new DomainError('invalid-format', `step ${stepName} records the product ${JSON.stringify(path)}: only relative paths inside the work directory are accepted.`);
  }
  const skip = [resolve(request.trust.linksDirectory ?? ''), resolve(layoutPath), resolve(request.signature.path)];
  const onDisk = new Set(await listWorkFiles(request.target.path, skip));
  const subjects: SubjectCheck[] = [];
  let bytes = 0;
  for (const [path, digests] of link.products) {
    const algorithms = TARGET_HASHES.filter((algorithm) => digests[algorithm] !== undefined);
    const algorithm = algorithms[0];
    const expected = algorithm === undefined ? null : digests[algorithm]!;
    const base = { name: path, kind: null, digest: { ...digests }, blobPath: path, expectedSha256: digests['sha256'] ?? null, digestAlgorithm: algorithm ?? 'sha256', expectedDigest: expected };
    if (algorithm === undefined) {
      subjects.push({ ...base, size: null, status: 'not-checked', actualSha256: null, actualDigest: null, reason: `${path}: no sha256, sha384 or sha512 digest recorded; not checked.` });
    } else if (!onDisk.has(path)) {
      subjects.push({ ...base, size: null, status: 'missing', actualSha256: null, actualDigest: null, reason: `${path} is a signed product of step ${stepName} but is missing from the work directory.` });
    } else {
      const hashed = await hashTargetFile(join(request.target.path, ...path.split('/')), algorithms, request.job);
      bytes += hashed.bytes;
      const mismatched = algorithms.filter((a) => hashed.digests[a] !== digests[a]);
      const actual = hashed.digests[algorithm] ?? null;
      subjects.push({
        ...base,
        size: hashed.bytes,
        status: mismatched.length === 0 ? 'ok' : 'mismatch',
        actualSha256: hashed.digests.sha256 ?? null,
        actualDigest: actual,
        reason: mismatched.length === 0 ? `${path} matches the product step ${stepName} signed.` : `${path} changed since step ${stepName} signed it (${mismatched.join(', ')} differ${mismatched.length === 1 ? 's' : ''}).`,
      });
    }
  }
  const unexpected = [...onDisk].filter((path) => !link.products.has(path));
  return { subjects, unexpected, bytes };
}

function inspectionFindings(layout: Layout): Finding[] {
  return layout.inspections.map((inspection) => ({
    severity: 'warning',
    code: 'in-toto-inspection-not-run',
    message: `Inspection ${inspection.name} (${JSON.stringify(inspection.run.join(' '))}) was not run: Countersign never runs commands from a layout. Only the steps were verified; the inspection's artifact rules were not applied.`,
    location: inspection.name,
  }));
}

type BaseFindings = Omit<ForeignFindings, 'signatures' | 'subjects' | 'findings'>;

function baseFindings(request: ForeignVerificationRequest): BaseFindings {
  return {
    format: 'in-toto',
    target: { path: request.target.path, container: request.target.kind === 'directory' ? 'directory' : 'file', fileCount: 0, signaturePath: request.trust.layout?.path ?? request.signature.path },
    unexpectedFiles: [],
    unexpectedFilesFail: false,
    trust: { source: request.trust.source, anchors: request.trust.anchors, trustedKeyCount: request.trust.keys.length, threshold: 1 },
    now: request.now,
  };
}

/** The shared report, with the verdict in-toto decides: the layout, each step's threshold, the rules and the files on disk. */
function report(base: BaseFindings, signatures: SignatureCheck[], subjects: SubjectCheck[], findings: Finding[], verdict: Verdict, reasons: string[], disk?: DiskCheck): VerificationReport {
  const assembled = assembleForeignReport({
    ...base,
    target: { ...base.target, fileCount: disk === undefined ? 0 : disk.subjects.filter((s) => s.status !== 'missing').length + disk.unexpected.length },
    signatures,
    subjects,
    findings,
    unexpectedFiles: disk?.unexpected ?? [],
    bytesHashed: disk?.bytes ?? 0,
  });
  return { ...assembled, verdict, reasons };
}

function invalid(base: BaseFindings, signatures: SignatureCheck[], code: string, message: string): VerificationReport {
  return report(base, signatures, [], [{ severity: 'error', code, message, location: null }], 'invalid', [message]);
}

/** A refusal to report (bad metadata, a hostile or unreadable file), as opposed to a cancel or a bug. */
function isRefusal(error: unknown): boolean {
  if (error instanceof HashCancelledError) return false;
  return error instanceof DomainError || typeof (error as NodeJS.ErrnoException | null)?.code === 'string';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
