import { useId, useState } from 'react';
import type { LineageDirection } from '../../../shared/api/contract';
import { impactCsv } from '../../../shared/lineage/impact-csv';
import type { LineageNode } from '../../../shared/lineage/lineage-graph';
import { useCommand } from '../bridge/hooks';
import { ErrorNotice } from '../common/ErrorNotice';
import { saveTextFile } from '../common/save-file';
import { formatCount, formatNumber } from '../format';
import { KIND_LOOK } from './kind-look';
import { OutsideText, shownText } from '../common/OutsideText';

/** Rows shown in the page; the CSV always has every affected node. */
const SHOWN_ROWS = 200;

/** What a change to the selected node reaches: every node downstream (or upstream) by distance, with what pins it. */
export function ImpactPanel({ sessionId, node }: { sessionId: string; node: LineageNode }) {
  const [direction, setDirection] = useState<LineageDirection>('downstream');
  const headingId = useId();
  const impact = useCommand('lineage.impact', { sessionId, nodeId: node.id, direction });

  const exportCsv = () => {
    if (impact.data === undefined) return;
    saveTextFile(impactCsv(impact.data), `impact-${fileNamePart(node.id)}-${direction}.csv`, 'text/csv;charset=utf-8');
  };

  return (
    <section className="panel lineage-impact" aria-labelledby={headingId}>
      <h2 id={headingId}>
        Impact of <OutsideText text={node.name} />
      </h2>
      <div className="table-controls">
        <fieldset className="segmented">
          <legend>Direction</legend>
          {(['downstream', 'upstream'] as const).map((value) => (
            <label key={value}>
              <input type="radio" name={`${headingId}-direction`} value={value} checked={direction === value} onChange={() => setDirection(value)} />
              {value === 'downstream' ? 'Downstream (what it feeds)' : 'Upstream (what it came from)'}
            </label>
          ))}
        </fieldset>
        <button type="button" onClick={exportCsv} disabled={impact.data === undefined}>
          Export CSV
        </button>
      </div>
      {impact.isPending && <p className="muted">Finding what {direction === 'downstream' ? 'it reaches' : 'it came from'}…</p>}
      {impact.isError && <ErrorNotice error={impact.error} prefix="Could not compute the impact" />}
      {impact.data !== undefined &&
        (impact.data.affected.length === 0 ? (
          <p>
            Nothing is {direction} of <OutsideText text={node.name} />.
          </p>
        ) : (
          <>
            <p className="muted">
              {formatCount(impact.data.affected.length, 'node')} {direction}, nearest first
              {impact.data.affected.length > SHOWN_ROWS ? `; the nearest ${formatNumber(SHOWN_ROWS)} are shown, the CSV has them all` : ''}.
            </p>
            <div className="table-scroll">
              <table className="data-table" aria-label={`Nodes ${direction} of ${shownText(node.name)}`}>
                <thead>
                  <tr>
                    <th scope="col">Degree</th>
                    <th scope="col">Name</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Subject</th>
                    <th scope="col">Releases</th>
                    <th scope="col" title="Approvals that count under the board policy: verified, by members, for this release">Verified approvals</th>
                    <th scope="col">Deployments</th>
                  </tr>
                </thead>
                <tbody>
                  {impact.data.affected.slice(0, SHOWN_ROWS).map((affected) => (
                    <tr key={affected.id}>
                      <td className="numeric">{affected.degree}</td>
                      <td>
                        <OutsideText text={affected.name} />
                        {affected.name !== affected.id && (
                          <div className="muted mono">
                            <OutsideText text={affected.id} />
                          </div>
                        )}
                      </td>
                      <td>{KIND_LOOK[affected.kind].word}</td>
                      <td className="mono"><OutsideText text={affected.subject ?? '—'} /></td>
                      <td><OutsideText text={affected.releases.length === 0 ? '—' : affected.releases.join(', ')} /></td>
                      <td className="numeric">{affected.approvals}</td>
                      <td><OutsideText text={affected.deployments.length === 0 ? '—' : affected.deployments.join(', ')} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ))}
    </section>
  );
}

/** A node id as part of a file name: anything but letters, digits, dot, dash and underscore becomes "_". */
export function fileNamePart(text: string): string {
  const safe = text.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_').slice(0, 80);
  return safe === '' ? 'node' : safe;
}
