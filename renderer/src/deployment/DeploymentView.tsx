import { useDeferredValue, useId, useState } from 'react';
import type { DragEvent } from 'react';
import type { DeploymentDiff, DeploymentRow } from '../../../shared/api/contract';
import type { VerificationReport } from '../../../shared/verify/report';
import { DEPLOYMENT_LIMITS } from '../../../shared/deployment/proposed-deployment';
import { useCommand } from '../bridge/hooks';
import { CopyButton } from '../common/CopyButton';
import { ErrorNotice } from '../common/ErrorNotice';
import { DEPLOYMENT_STATUS_LOOK, digestText, noRowsText, visibleRows } from './deployment-rows';
import './deployment.css';
import { NoBundleOpen } from '../common/NoBundleOpen';
import { OutsideText } from '../common/OutsideText';
import { plainMessage } from '../common/plain-words';

/** A deployment file the person opened or dropped: its text goes to the host, not its path. */
interface OpenedFile {
  fileName: string;
  text: string;
}

const ACCEPTED = '.json,.yaml,.yml';

/** The open bundle's manifest side by side with a proposed deployment, and whether it may be deployed. */
export function DeploymentView({ bundleOpen, sessionId, report }: { bundleOpen: boolean; sessionId: string | null; report: VerificationReport | null }) {
  if (sessionId === null) return <NoBundleOpen title="Deployment" opening={bundleOpen} />;
  return <BundleDeployment key={sessionId} sessionId={sessionId} report={report} />;
}

function BundleDeployment({ sessionId, report }: { sessionId: string; report: VerificationReport | null }) {
  const [opened, setOpened] = useState<OpenedFile | null>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  // Judged again whenever the session's verdict is (trust changed); always about the verdict's manifest.
  const diff = useCommand('deployment.diff', { sessionId, deploymentText: opened }, { revision: report?.verifiedAt ?? null });
  const otherManifest = diff.data !== undefined && report?.manifest != null && diff.data.manifestDigest !== report.manifest.digest;

  const readFile = async (file: File) => {
    setFileProblem(null);
    if (!/\.(json|ya?ml)$/i.test(file.name)) {
      setFileProblem(`${file.name} is not a deployment file: open a deployment.json or Kubernetes .yaml/.yml.`);
      return;
    }
    if (file.size > DEPLOYMENT_LIMITS.maxBytes) {
      setFileProblem(`${file.name} is larger than the ${DEPLOYMENT_LIMITS.maxBytes / (1024 * 1024)} MiB cap for a deployment file.`);
      return;
    }
    setOpened({ fileName: file.name, text: await file.text() });
  };

  // The window takes dropped archives as bundles; a file dropped here is a deployment, so it stops here.
  const dragProps = {
    onDragEnter: (event: DragEvent) => {
      event.preventDefault();
      event.stopPropagation();
      setDragging(true);
    },
    onDragOver: (event: DragEvent) => {
      event.preventDefault();
      event.stopPropagation();
    },
    onDragLeave: (event: DragEvent) => {
      event.stopPropagation();
      if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
    },
    onDrop: (event: DragEvent) => {
      event.preventDefault();
      event.stopPropagation();
      setDragging(false);
      const files = event.dataTransfer.files;
      if (files.length !== 1 || files[0] === undefined) {
        setFileProblem('Drop one deployment file at a time.');
        return;
      }
      void readFile(files[0]);
    },
  };

  return (
    <div className={`deployment-view${dragging ? ' dragging' : ''}`} {...dragProps}>
      <h1 tabIndex={-1}>Deployment</h1>
      <DeploymentSourceControls opened={opened} source={diff.data?.source ?? null} onFile={(file) => void readFile(file)} onUseBundle={() => setOpened(null)} />
      {fileProblem !== null && (
        <p className="notice notice-error" role="alert">
          {fileProblem}
        </p>
      )}
      {diff.isPending && <p className="muted">Comparing the manifest with the deployment…</p>}
      {diff.isError &&
        (opened === null && diff.error.subcode === 'no-deployment' ? (
          <section className="panel empty-state" aria-label="No deployment file">
            <h2>This bundle has no deployment file</h2>
            <p>Open a deployment.json or Kubernetes YAML file above, or drop it here, to see whether this release may be deployed with it.</p>
          </section>
        ) : (
          <ErrorNotice error={diff.error} prefix="Could not compare" />
        ))}
      {otherManifest && (
        <p className="notice notice-error">The deployment was compared with another manifest than the bundle's verdict: open the bundle again.</p>
      )}
      {diff.data !== undefined && !otherManifest && (
        <>
          <DeploymentVerdictBanner diff={diff.data} />
          <DeploymentTable rows={diff.data.rows} />
          <DeploymentFindings diff={diff.data} />
        </>
      )}
    </div>
  );
}

function DeploymentSourceControls({
  opened,
  source,
  onFile,
  onUseBundle,
}: {
  opened: OpenedFile | null;
  source: DeploymentDiff['source'] | null;
  onFile(file: File): void;
  onUseBundle(): void;
}) {
  const inputId = useId();
  return (
    <div className="deployment-source panel">
      <p>
        Proposed deployment:{' '}
        {source === null ? (
          <span className="muted"><OutsideText text={opened?.fileName ?? "the bundle's own"} /></span>
        ) : (
          <>
            <code><OutsideText text={source.file} /></code> ({source.origin === 'bundle' ? 'in the bundle' : 'opened here'}, {source.format === 'native' ? 'deployment.json' : 'Kubernetes YAML'}
            {source.environment === null ? '' : ', environment '}
            {source.environment !== null && <OutsideText text={source.environment} />})
          </>
        )}
      </p>
      <div className="toolbar">
        <label htmlFor={inputId}>Open a deployment file</label>
        <input
          id={inputId}
          type="file"
          accept={ACCEPTED}
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file !== undefined) onFile(file);
            event.target.value = '';
          }}
        />
        {opened !== null && (
          <button type="button" onClick={onUseBundle}>
            Use the bundle's deployment
          </button>
        )}
      </div>
      <p className="muted">Or drop a deployment.json or Kubernetes YAML file on this view.</p>
    </div>
  );
}

function DeploymentVerdictBanner({ diff }: { diff: DeploymentDiff }) {
  const deployable = diff.verdict === 'deployable';
  return (
    <section role="status" aria-label="Deployment verdict" className={`verdict-banner deployment-verdict ${deployable ? 'tone-good' : 'tone-bad'}`}>
      <div className="verdict-headline">
        <span className="verdict-icon" aria-hidden="true">
          {deployable ? '✓' : '✗'}
        </span>
        <h2>{deployable ? 'Deployable' : 'Blocked'}</h2>
      </div>
      <p className="verdict-release">
        {diff.release ?? 'Unnamed release'}
        {diff.source.environment === null ? '' : ` → ${diff.source.environment}`}
      </p>
      <dl className="facts">
        <div>
          <dt>Manifest digest</dt>
          <dd>
            <code className="digest">{diff.manifestDigest}</code> <CopyButton text={diff.manifestDigest} label="Copy digest" />
          </dd>
        </div>
        <div>
          <dt>Approvals</dt>
          <dd>{diff.approved === null ? 'Not evaluated: no board policy is imported' : diff.approved ? 'Approved under the board policy' : 'Not approved under the board policy'}</dd>
        </div>
      </dl>
      {diff.reasons.length > 0 && (
        <ul aria-label="Blocking reasons" className="reasons">
          {diff.reasons.map((reason, index) => (
            <li key={index}>{reason}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

function DeploymentTable({ rows }: { rows: readonly DeploymentRow[] }) {
  const [changesOnly, setChangesOnly] = useState(true);
  const [filter, setFilter] = useState('');
  const deferredFilter = useDeferredValue(filter);
  const headingId = useId();
  const filterId = useId();
  const { shown, hiddenUnchanged } = visibleRows(rows, { changesOnly, filter: deferredFilter });

  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Manifest and deployment</h2>
      <div className="table-controls">
        <div className="field inline">
          <label htmlFor={filterId}>Filter rows</label>
          <input id={filterId} type="search" value={filter} placeholder="name, reference or digest" onChange={(event) => setFilter(event.target.value)} />
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={changesOnly} onChange={(event) => setChangesOnly(event.target.checked)} /> Changes only
        </label>
      </div>
      <table className="deployment-table" aria-label="Manifest and deployment">
        <thead>
          <tr>
            <th scope="col">Status</th>
            <th scope="col">Subject</th>
            <th scope="col">Manifest</th>
            <th scope="col">Deployed</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((row, index) => (
            <DeploymentTableRow key={`${row.subject ?? ''}|${row.deployed?.location ?? ''}|${index}`} row={row} />
          ))}
          {shown.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                {noRowsText(rows, { changesOnly, filter: deferredFilter })}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {hiddenUnchanged > 0 && (
        <p className="hidden-rows">
          {hiddenUnchanged === 1 ? '1 unchanged row hidden' : `${hiddenUnchanged} unchanged rows hidden`} —{' '}
          <button type="button" className="link-button" onClick={() => setChangesOnly(false)}>
            show
          </button>
        </p>
      )}
    </section>
  );
}

function DeploymentTableRow({ row }: { row: DeploymentRow }) {
  const look = DEPLOYMENT_STATUS_LOOK[row.status];
  const manifestDigest = digestText(row.manifestDigest);
  const deployed = row.deployed;
  const deployedDigest = deployed === null ? null : digestText(deployed.digest);
  return (
    <tr className={`deployment-row status-${row.status}`}>
      <td>
        <span className={`deploy-status status-${row.status}`}>
          <span className="deploy-status-icon" aria-hidden="true">
            {look.icon}
          </span>
          {look.word}
        </span>
      </td>
      <td>
        <span className="subject-name"><OutsideText text={row.subject ?? deployed?.name ?? ''} /></span>
        {row.kind !== null && <span className="muted"> ({row.kind})</span>}
        {row.status !== 'match' && <div className="row-detail"><OutsideText text={plainMessage(row.detail)} /></div>}
      </td>
      <td>
        {manifestDigest === null ? (
          <span className="muted">not in the manifest</span>
        ) : (
          <>
            <code className="digest">{manifestDigest}</code> <CopyButton text={manifestDigest} label="Copy manifest digest" />
          </>
        )}
      </td>
      <td>
        {deployed === null ? (
          <span className="muted">not deployed</span>
        ) : (
          <>
            {deployedDigest !== null ? (
              <>
                <code className="digest">{deployedDigest}</code> <CopyButton text={deployedDigest} label="Copy deployed digest" />
              </>
            ) : (
              <>
                <code><OutsideText text={deployed.reference ?? deployed.name} /></code> <span className="muted">no digest</span> <CopyButton text={deployed.reference ?? deployed.name} label="Copy reference" />
              </>
            )}
            {deployedDigest !== null && deployed.reference !== null && <div className="muted">by <OutsideText text={deployed.reference} /></div>}
            <div className="muted location"><OutsideText text={plainMessage(deployed.location)} /></div>
          </>
        )}
      </td>
    </tr>
  );
}

function DeploymentFindings({ diff }: { diff: DeploymentDiff }) {
  const headingId = useId();
  const findings = diff.findings.filter((finding) => finding.severity !== 'info');
  if (findings.length === 0) return null;
  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Findings in the deployment</h2>
      <ul>
        {findings.map((finding, index) => (
          <li key={index}>
            {finding.severity === 'warning' ? '! Warning: ' : '✗ Error: '}
            <OutsideText text={plainMessage(finding.message)} />
          </li>
        ))}
      </ul>
    </section>
  );
}
