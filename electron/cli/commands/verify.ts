import { open, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { CommandInput, TrustFlagsInput } from '../../../shared/api/contract';
import { SSH_SIGNATURE_BEGIN } from '../../../shared/verify/foreign/detect-format';
import type { VerificationReport } from '../../../shared/verify/report';
import { CLI_JOB, withDispatcher } from '../cli-dispatcher';
import { maxRatioOf, maxRatioOption, maxRatioUsage } from '../max-ratio';
import { ExitCode, UsageError } from '../exit-codes';
import { formatReport } from '../format-report';
import { createProgressPrinter } from '../progress';
import { assertNever } from '../../../shared/util/assert-never';
import { jsonText } from '../../../shared/text/neutralise';
import { writeOut } from '../output';
import { stdoutPaint } from '../colour';

export const verifyUsage = `countersign verify <target> [--signature <file>] [--format auto|countersign|oms|sigstore|dsse|sshsig|in-toto] [trust flags] [--json] [--all] [--board <board.json>] [--data-dir <dir>]

  A Countersign bundle (a directory holding manifest.dsse.json, .tar, .tar.gz, .tgz or .zip): checks every
  signature and every blob hash. Any other signature: <target> is what was signed (an artifact, a model
  directory or file) with the signature in --signature, or the envelope itself when there is no artifact.
  --signature <file>        the signature: a DSSE envelope, an SSH signature, a Sigstore bundle, OMS, in-toto
  --format <f>              auto (the default) decides from the signature's content, never its file name
  Trust flags (when any is given, trust comes from them alone; the profile is not read or written):
  --key <file>              a public key: PEM (EC P-256/384/521, Ed25519, RSA) or an OpenSSH line; repeatable
  --ca <root.pem>           an X.509 trust anchor (OMS certificate method); repeatable
  --trusted-root <file> --certificate-identity <SAN> --certificate-oidc-issuer <URL>   Sigstore keyless
  --allowed-signers <file> [--principal <id>]   SSH signatures (ssh-keygen ALLOWED SIGNERS)
  --layout <root.layout> --links <dir>          in-toto; --key is the layout owner's key
  Other:
  --namespace <ns>          the namespace an SSH signature must be made for (required for SSH signatures)
  --ignore-paths <path>     relative to the model root; repeatable.  --ignore-unsigned-files
  --threshold <n>           distinct trusted keys required (default 1)
  --board <file>            trust comes from this board policy alone (Countersign bundles)
  --json                    print the full report as JSON
  --all                     list every subject, not only the failing ones
  ${maxRatioUsage}
  Exit: 0 verified, 1 verification failed (tampered, untrusted, bad signature), 2 unreadable or hostile input, or usage error.`;

const FORMATS = ['auto', 'countersign', 'oms', 'sigstore', 'dsse', 'sshsig', 'in-toto'] as const;
type FormatChoice = (typeof FORMATS)[number];

export async function verifyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      board: { type: 'string' },
      json: { type: 'boolean' },
      all: { type: 'boolean' },
      'data-dir': { type: 'string' },
      signature: { type: 'string' },
      format: { type: 'string' },
      key: { type: 'string', multiple: true },
      ca: { type: 'string', multiple: true },
      'trusted-root': { type: 'string' },
      'certificate-identity': { type: 'string' },
      'certificate-oidc-issuer': { type: 'string' },
      'allowed-signers': { type: 'string' },
      principal: { type: 'string' },
      namespace: { type: 'string' },
      layout: { type: 'string' },
      links: { type: 'string' },
      'ignore-paths': { type: 'string', multiple: true },
      'ignore-unsigned-files': { type: 'boolean' },
      threshold: { type: 'string' },
      ...maxRatioOption,
    },
  });
  if (positionals.length !== 1) throw new UsageError(`verify takes one target path.\n\n${verifyUsage}`);
  const target = positionals[0]!;
  const format = formatOf(values.format);
  const trust: TrustFlagsInput = {
    ...(values.key ? { keys: values.key } : {}),
    ...(values.ca ? { ca: values.ca } : {}),
    ...(values['trusted-root'] !== undefined ? { trustedRoot: values['trusted-root'] } : {}),
    ...(values['certificate-identity'] !== undefined ? { certificateIdentity: values['certificate-identity'] } : {}),
    ...(values['certificate-oidc-issuer'] !== undefined ? { certificateOidcIssuer: values['certificate-oidc-issuer'] } : {}),
    ...(values['allowed-signers'] !== undefined ? { allowedSigners: values['allowed-signers'] } : {}),
    ...(values.principal !== undefined ? { principal: values.principal } : {}),
    ...(values.layout !== undefined ? { layout: values.layout } : {}),
  };
  const trustFlagsGiven = Object.keys(trust).length > 0;
  if (trustFlagsGiven && values.board !== undefined) throw new UsageError('Give either --board or trust flags (--key, --ca, --allowed-signers, ...): trust comes from one place.');

  const foreign = values.signature !== undefined || (format !== 'auto' && format !== 'countersign') || (format === 'auto' && (await looksLikeForeignSignature(target)));
  if (!foreign) {
    if (trustFlagsGiven) throw new UsageError('Trust flags apply to signatures given with --signature (or a signature file as the target); a Countersign bundle is trusted through the profile or --board.');
    return verifyBundle(target, values);
  }
  if (format === 'countersign') throw new UsageError('A Countersign bundle carries its own manifest.dsse.json: leave out --signature, or name the signature\'s format.');
  if (values['max-ratio'] !== undefined) throw new UsageError('--max-ratio applies to Countersign bundle archives only.');

  const input: CommandInput<'verify.signature'> = {
    target,
    ...(values.signature !== undefined ? { signature: values.signature } : {}),
    format,
    ...(trustFlagsGiven ? { trust } : {}),
    ...(values.namespace !== undefined ? { namespace: values.namespace } : {}),
    ...(values.links !== undefined ? { links: values.links } : {}),
    ...(values['ignore-paths'] ? { ignorePaths: values['ignore-paths'] } : {}),
    ...(values['ignore-unsigned-files'] ? { ignoreUnsignedFiles: true } : {}),
    ...(values.threshold !== undefined ? { threshold: thresholdOf(values.threshold) } : {}),
    jobId: CLI_JOB,
  };
  const progress = values.json ? null : createProgressPrinter(process.stderr);
  try {
    const report = await withDispatcher(
      { dataDir: values['data-dir'], board: values.board, trustFlagsOnly: trustFlagsGiven, onProgress: progress?.update },
      (call) => call('verify.signature', input),
    );
    progress?.done();
    return printReport(report, values);
  } finally {
    progress?.done();
  }
}

async function verifyBundle(bundlePath: string, values: { board?: string | undefined; json?: boolean | undefined; all?: boolean | undefined; 'data-dir'?: string | undefined; 'max-ratio'?: string | undefined }): Promise<number> {
  const progress = values.json ? null : createProgressPrinter(process.stderr);
  try {
    const opened = await withDispatcher({ dataDir: values['data-dir'], board: values.board, onProgress: progress?.update }, (call) =>
      call('session.open', { path: bundlePath, jobId: CLI_JOB, ...maxRatioOf(values['max-ratio']) }),
    );
    const report = opened.report;
    if (report === null) throw new UsageError(`${bundlePath} is a lineage file, not a bundle: there is nothing to verify.`);
    progress?.done();
    return printReport(report, values);
  } finally {
    progress?.done();
  }
}

function printReport(report: VerificationReport, values: { json?: boolean | undefined; all?: boolean | undefined }): number {
  writeOut((values.json ? jsonText(report) : formatReport(report, { allSubjects: values.all ?? false, paint: stdoutPaint() })) + '\n');
  switch (report.verdict) {
    case 'verified':
      return ExitCode.ok;
    case 'tampered':
    case 'untrusted':
      return ExitCode.failed;
    case 'invalid':
      return ExitCode.badInput;
    default:
      return assertNever(report.verdict);
  }
}

function formatOf(text: string | undefined): FormatChoice {
  if (text === undefined) return 'auto';
  if (!(FORMATS as readonly string[]).includes(text)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}; got "${text}".`);
  return text as FormatChoice;
}

function thresholdOf(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1 || value > 1000) throw new UsageError(`--threshold must be a whole number from 1 to 1000; got "${text}".`);
  return value;
}

/**
 * A file target without --signature is a foreign signature itself (an envelope with no separate
 * artifact) when its content starts as one: JSON or an SSH signature's armor. Archives (tar, gzip,
 * zip) never start so. Only the first bytes are read; a directory is always a bundle.
 */
async function looksLikeForeignSignature(target: string): Promise<boolean> {
  const info = await stat(target).catch(() => null);
  if (info === null || !info.isFile()) return false;
  const handle = await open(target, 'r');
  try {
    const head = Buffer.alloc(64);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const text = head.subarray(0, bytesRead).toString('latin1').replace(/^\xEF\xBB\xBF/, '').trimStart();
    return text.startsWith('{') || text.startsWith(SSH_SIGNATURE_BEGIN.slice(0, 20));
  } finally {
    await handle.close();
  }
}
