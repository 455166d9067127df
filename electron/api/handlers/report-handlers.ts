import type { reportCommands } from '../../../shared/api/commands/report-commands';
import { encodeBase64 } from '../../../shared/encoding/base64';
import type { DeploymentInput } from '../../services/deployment/diff-bundle-deployment';
import { exportReport, type MadeFile } from '../../services/report/export-report';
import type { HandlerServices, HandlersFor } from './handler-kit';

/** The record is made on the session's snapshot and handed back; the host decides where it is saved. */
export function createReportHandlers({ profile, sessions, jobs }: HandlerServices): HandlersFor<typeof reportCommands> {
  return {
    'report.export': async ({ sessionId, format, paper, evidence, jobId, deploymentPath, deploymentText }) => {
      const session = sessions.getForBundleQuestion(sessionId);
      const deployment: DeploymentInput | null = deploymentText
        ? { from: 'text', fileName: deploymentText.fileName, text: deploymentText.text }
        : deploymentPath
          ? { from: 'file', path: deploymentPath }
          : null;
      return jobs.run(jobId, async (job) => {
        const made = await exportReport(session, profile, { format, paper: paper ?? 'a4', deployment, evidence: evidence ?? false }, job, new Date());
        return {
          manifestDigest: made.manifestDigest,
          answer: { state: made.report.answer.state, headline: made.report.answer.headline },
          document: asFile(made.document),
          evidence: made.evidence === null ? null : asFile(made.evidence),
        };
      });
    },
  };
}

function asFile(file: MadeFile) {
  return { fileName: file.fileName, mediaType: file.mediaType, base64: encodeBase64(file.bytes) };
}
