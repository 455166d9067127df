import { CopyButton } from '../common/CopyButton';
import { approvalFileName } from '../common/file-names';
import { saveTextFile } from '../common/save-file';
import type { SignedDecision } from './DecisionFlow';

const DECISION_NOUN = { approve: 'approval', reject: 'rejection', abstain: 'abstention' } as const;

/** Where the signed decision went, and how to hand it to the next reviewer. */
export function SignedDecisionNotice({ signed, onDismiss }: { signed: SignedDecision; onDismiss(): void }) {
  const { made, decision, role, keyId } = signed;
  const noun = DECISION_NOUN[decision];
  return (
    <div role="status" aria-label="Signed decision" className="signed-notice">
      <p>
        <strong>
          Signed your {noun} as {role}.
        </strong>{' '}
        {made.savedToBundle ? (
          <>
            Saved into the bundle as <code>approvals/{made.fileName}</code>.
          </>
        ) : (
          <>
            Written to <code>{made.file}</code>.
          </>
        )}
      </p>
      <p>Hand the file to the next reviewer, who imports it with Import approvals…</p>
      <div className="actions">
        <button type="button" onClick={() => saveTextFile(made.text, approvalFileName(role, keyId), 'application/json')}>
          Save a copy…
        </button>
        <CopyButton text={made.text} label="Copy approval text" />
        <button type="button" className="small" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    </div>
  );
}
