import type { CompactLineage } from '../../../shared/lineage/compact-lineage';
import type { LineageNode } from '../../../shared/lineage/lineage-graph';
import type { VerificationReport } from '../../../shared/verify/report';
import { CopyButton } from '../common/CopyButton';
import { OutsideText, shownText } from '../common/OutsideText';
import { formatCount } from '../format';
import { nodeDetails } from './node-details';

/** The selected node: what it is, the subject it stands for and how that verified, and how much lies either side of it. */
export function NodeDetailsPanel({ node, index, lineage, report }: { node: LineageNode; index: number; lineage: CompactLineage; report: VerificationReport | null }) {
  const details = nodeDetails(node, index, lineage, report);
  const reach = (side: { direct: number; all: number }) =>
    side.all === 0 ? 'none' : `${formatCount(side.all, 'node')} (${formatCount(side.direct, 'direct neighbour', 'direct neighbours')})`;
  return (
    <section className="panel lineage-details" aria-label={`Details of ${shownText(details.name)}`}>
      <h2>
        <OutsideText text={details.name} />
      </h2>
      <dl className="facts">
        <div>
          <dt>Kind</dt>
          <dd>{details.kind}</dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd>{details.version === null ? <span className="muted">not given</span> : <OutsideText text={details.version} />}</dd>
        </div>
        {details.id !== details.name && (
          <div>
            <dt>Node ID</dt>
            <dd className="mono">
              <OutsideText text={details.id} />
            </dd>
          </div>
        )}
        <div>
          <dt>Subject</dt>
          <dd>
            {details.subject === null ? (
              <span className="muted">none: this node stands for no file the manifest pins</span>
            ) : (
              <>
                <OutsideText text={details.subject.name} />
                <div>{details.subject.status}</div>
                {details.subject.digest !== null && (
                  <div>
                    <code className="digest">
                      <OutsideText text={details.subject.digest} />
                    </code>{' '}
                    <CopyButton text={details.subject.digest} label="Copy subject digest" />
                  </div>
                )}
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>Releases</dt>
          <dd>{details.releases.length === 0 ? <span className="muted">none known</span> : <OutsideText text={details.releases.join(', ')} />}</dd>
        </div>
        <div>
          <dt>Upstream</dt>
          <dd>{reach(details.upstream)}</dd>
        </div>
        <div>
          <dt>Downstream</dt>
          <dd>{reach(details.downstream)}</dd>
        </div>
      </dl>
    </section>
  );
}
