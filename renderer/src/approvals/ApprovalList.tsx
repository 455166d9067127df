import type { EvaluatedApproval } from '../../../shared/approvals/evaluation';
import { StatusBadge } from '../common/StatusBadge';
import { APPROVAL_SIGNATURE_LOOK, DECISION_LOOK, OUTCOME_LOOK } from './approval-words';
import { OutsideText } from '../common/OutsideText';

/** Every approval given for this release, counted or not, and why. */
export function ApprovalList({ approvals }: { approvals: readonly EvaluatedApproval[] }) {
  if (approvals.length === 0) return <p>No approvals yet.</p>;
  return (
    <ul aria-label="Approvals given" className="card-list">
      {approvals.map((approval, index) => (
        <ApprovalItem key={`${approval.file ?? ''}#${index}`} approval={approval} />
      ))}
    </ul>
  );
}

function ApprovalItem({ approval }: { approval: EvaluatedApproval }) {
  return (
    <li className="card">
      <div className="card-title">
        {approval.decision !== null && <StatusBadge look={DECISION_LOOK[approval.decision]} />}
        <strong><OutsideText text={approval.reviewerName ?? 'Unknown reviewer'} /></strong>
        {approval.role !== null && <span>as <OutsideText text={approval.role} /></span>}
        {approval.reviewedAt !== null && (
          <time className="muted" dateTime={approval.reviewedAt}>
            {new Date(approval.reviewedAt).toLocaleString()}
          </time>
        )}
        <StatusBadge look={APPROVAL_SIGNATURE_LOOK[approval.signatureStatus]} />
        <StatusBadge look={OUTCOME_LOOK[approval.outcome]} />
      </div>
      <p><OutsideText text={approval.reason} /></p>
      {approval.comment !== null && <blockquote className="approval-comment">
          <OutsideText text={approval.comment} multiline />
        </blockquote>}
      {approval.conditions.length > 0 && (
        <>
          <p>Conditions:</p>
          <ul className="reasons">
            {approval.conditions.map((condition, index) => (
              <li key={index}><OutsideText text={condition} /></li>
            ))}
          </ul>
        </>
      )}
      <dl className="facts compact">
        {approval.reviewerKeyId !== null && (
          <div>
            <dt>Key ID</dt>
            <dd>
              <code><OutsideText text={approval.reviewerKeyId} /></code>
            </dd>
          </div>
        )}
        {approval.expiresAt !== null && (
          <div>
            <dt>Expires</dt>
            <dd>
              <time dateTime={approval.expiresAt}>{new Date(approval.expiresAt).toLocaleString()}</time>
            </dd>
          </div>
        )}
        {approval.file !== null && (
          <div>
            <dt>File</dt>
            <dd>
              <code><OutsideText text={approval.file} /></code>
            </dd>
          </div>
        )}
      </dl>
    </li>
  );
}
