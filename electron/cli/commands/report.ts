import { parseArgs } from 'node:util';
import { decodeBase64Strict } from '../../../shared/encoding/base64';
import { reportFormatSchema, reportPaperSchema } from '../../../shared/api/commands/report-commands';
import { fields } from '../../../shared/text/neutralise';
import { writeFilesTogether, type FileToWrite } from '../../services/report/write-files-together';
import { CLI_JOB, withDispatcher } from '../cli-dispatcher';
import { ExitCode, UsageError } from '../exit-codes';
import { maxRatioOf, maxRatioOption, maxRatioUsage } from '../max-ratio';
import { writeOut } from '../output';
import { createProgressPrinter } from '../progress';

export const reportUsage = `countersign report <bundle> --format html|pdf|md --out <file> [--board <board.json>] [--deployment <file>] [--evidence <zip>] [--paper a4|letter] [--data-dir <dir>]

  Writes the record of the release for the board's minutes: the board's answer and its reasons,
  the release summary, signatures and trust, subjects (failures first, every subject in an
  appendix), the reproducibility record, the lineage, the deployment diff, every rule with its
  seats and decisions, and this profile's audit entries for the release with the chain's status.
  Every page carries the release and its manifest digest.
  --format <f>        md (pastes into a wiki or pull request), html (one self-contained file,
                      no external requests) or pdf (A4 by default, made without a browser)
  --out <file>        where the record goes (replaced if it exists)
  --board <file>      judge under this board policy file alone (see status); the audit trail is not read
  --deployment <file> the proposed deployment to diff against (default: the bundle's own, if any)
  --evidence <zip>    also write a zip of the record, the manifest envelope, the approvals, the
                      board policy and the verification report as JSON: unpack it and re-check
                      with verify and status --board
  --paper <size>      a4 (default) or letter, for pdf
  ${maxRatioUsage}
  Both files are written whole or not at all.
  Exit: 0 written, 2 unreadable or hostile input or a usage error (nothing written).`;

export async function reportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      out: { type: 'string' },
      board: { type: 'string' },
      deployment: { type: 'string' },
      evidence: { type: 'string' },
      paper: { type: 'string' },
      'data-dir': { type: 'string' },
      ...maxRatioOption,
    },
  });
  if (positionals.length !== 1) throw new UsageError(`report takes one bundle path.\n\n${reportUsage}`);
  const format = reportFormatSchema.safeParse(values.format);
  if (!format.success) throw new UsageError(`--format must be html, pdf or md${values.format === undefined ? '' : `, got "${values.format}"`}.\n\n${reportUsage}`);
  const paper = reportPaperSchema.safeParse(values.paper ?? 'a4');
  if (!paper.success) throw new UsageError(`--paper must be a4 or letter, got "${values.paper ?? ''}".`);
  if (values.out === undefined || values.out === '') throw new UsageError(`report needs --out <file>.\n\n${reportUsage}`);
  if (values.evidence !== undefined && values.evidence === values.out) throw new UsageError('--out and --evidence name the same file.');
  const bundlePath = positionals[0]!;
  const out = values.out;
  const evidencePath = values.evidence;

  const progress = createProgressPrinter(process.stderr);
  try {
    const made = await withDispatcher({ dataDir: values['data-dir'], board: values.board, onProgress: progress.update }, async (call) => {
      const { sessionId } = await call('session.open', { path: bundlePath, jobId: CLI_JOB, ...maxRatioOf(values['max-ratio']) });
      return call('report.export', {
        sessionId,
        jobId: CLI_JOB,
        format: format.data,
        paper: paper.data,
        evidence: evidencePath !== undefined,
        ...(values.deployment !== undefined ? { deploymentPath: values.deployment } : {}),
      });
    });
    progress.done();
    const files: FileToWrite[] = [{ path: out, bytes: decodeBase64Strict(made.document.base64, 'the record') }];
    if (evidencePath !== undefined && made.evidence !== null) files.push({ path: evidencePath, bytes: decodeBase64Strict(made.evidence.base64, 'the evidence') });
    try {
      await writeFilesTogether(files);
    } catch (error) {
      throw new UsageError(`cannot write ${files.map((file) => file.path).join(' and ')}: ${(error as Error).message}. Nothing was written.`);
    }
    writeOut(fields`${made.answer.headline}\n  record: ${out} (${format.data})\n` + (evidencePath !== undefined ? fields`  evidence: ${evidencePath}\n` : '') + fields`  manifest sha256 ${made.manifestDigest ?? 'unreadable'}\n`);
    return ExitCode.ok;
  } finally {
    progress.done();
  }
}
