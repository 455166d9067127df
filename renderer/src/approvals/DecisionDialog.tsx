import { useId, useState } from 'react';
import type { ApprovalStatus, BoardSummary, ReviewerKey } from '../../../shared/api/contract';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { ErrorNotice } from '../common/ErrorNotice';
import { memberOfKey, rolesOfKey, suggestRole } from './decision-draft';
import type { Decision, DecisionDraft } from './decision-draft';

const OTHER_ROLE = '\u0000other';

const TITLE_VERB: Record<Decision, string> = { approve: 'Approve', reject: 'Reject', abstain: 'Abstain on' };
const CONFIRM_LABEL: Record<Decision, string> = { approve: 'Sign approval', reject: 'Sign rejection', abstain: 'Sign abstention' };

interface DecisionDialogProps {
  draft: DecisionDraft;
  onDraftChange(draft: DecisionDraft): void;
  status: ApprovalStatus;
  board: BoardSummary;
  keys: readonly ReviewerKey[];
  busy: boolean;
  error: unknown;
  onSign(): void;
  onCancel(): void;
}

/** The approval form: who signs, in which role, with what comment, conditions and expiry, and where it goes. */
export function DecisionDialog({ draft, onDraftChange, status, board, keys, busy, error, onSign, onCancel }: DecisionDialogProps) {
  const ids = { key: useId(), role: useId(), otherRole: useId(), comment: useId(), conditions: useId(), expiry: useId(), expiryHint: useId(), save: useId() };
  const roles = rolesOfKey(board, draft.keyId);
  const [otherRole, setOtherRole] = useState(roles.length === 0 || (draft.role !== '' && !roles.includes(draft.role)));
  const member = memberOfKey(board, draft.keyId);
  const release = releaseOf(status);
  const canSaveToBundle = status.bundle.format === 'directory';
  const update = (change: Partial<DecisionDraft>) => onDraftChange({ ...draft, ...change });

  const chooseKey = (keyId: string) => {
    const nextRoles = rolesOfKey(board, keyId);
    setOtherRole(nextRoles.length === 0);
    update({ keyId, role: suggestRole(nextRoles, status.evaluation.seats) });
  };

  return (
    <ConfirmDialog
      title={`${TITLE_VERB[draft.decision]} ${release}`}
      confirmLabel={CONFIRM_LABEL[draft.decision]}
      cancelLabel="Cancel"
      busy={busy}
      confirmDisabled={draft.keyId === '' || draft.role.trim() === ''}
      onCancel={onCancel}
      onConfirm={onSign}
    >
      <p>
        Your decision is signed for manifest <code className="digest">{status.manifest.digest.slice(0, 16)}…</code> under {status.policy.board}, version{' '}
        {status.policy.version}. A changed manifest needs a new decision.
      </p>
      {draft.decision === 'approve' && status.verdict !== 'verified' && (
        <p className="error-notice">This release does not verify, so it cannot be approved; you can still reject it.</p>
      )}
      <div className="field">
        <label htmlFor={ids.key}>Sign with</label>
        <select id={ids.key} value={draft.keyId} onChange={(event) => chooseKey(event.target.value)}>
          {keys.map((key) => (
            <option key={key.keyId} value={key.keyId}>
              {key.name} · {key.keyId} {key.unlocked ? '(unlocked)' : '(locked)'}
            </option>
          ))}
        </select>
        <p className="muted">{member === null ? 'This key is no board member’s: its decision would be ignored.' : `Board member: ${member}.`}</p>
      </div>
      <div className="field">
        <label htmlFor={ids.role}>Role</label>
        {roles.length > 0 && (
          <select
            id={ids.role}
            value={otherRole ? OTHER_ROLE : draft.role}
            onChange={(event) => {
              const choice = event.target.value;
              setOtherRole(choice === OTHER_ROLE);
              update({ role: choice === OTHER_ROLE ? '' : choice });
            }}
          >
            {roles.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
            <option value={OTHER_ROLE}>Another role…</option>
          </select>
        )}
        {(otherRole || roles.length === 0) && (
          <input
            id={roles.length > 0 ? ids.otherRole : ids.role}
            aria-label={roles.length > 0 ? 'Other role' : undefined}
            value={draft.role}
            maxLength={200}
            onChange={(event) => update({ role: event.target.value })}
          />
        )}
      </div>
      <div className="field">
        <label htmlFor={ids.comment}>Comment</label>
        <textarea id={ids.comment} rows={3} value={draft.comment} maxLength={10_000} onChange={(event) => update({ comment: event.target.value })} />
      </div>
      <div className="field">
        <label htmlFor={ids.conditions}>Conditions, one per line</label>
        <textarea id={ids.conditions} rows={2} value={draft.conditions} onChange={(event) => update({ conditions: event.target.value })} />
      </div>
      <div className="field">
        <label htmlFor={ids.expiry}>Expires after (optional)</label>
        <input id={ids.expiry} type="date" value={draft.expiresOn} aria-describedby={ids.expiryHint} onChange={(event) => update({ expiresOn: event.target.value })} />
        <p id={ids.expiryHint} className="muted">
          The decision stops counting at the end of that day (UTC).
        </p>
      </div>
      {canSaveToBundle ? (
        <div className="check">
          <input id={ids.save} type="checkbox" checked={draft.saveToBundle} onChange={(event) => update({ saveToBundle: event.target.checked })} />
          <label htmlFor={ids.save}>Save into the bundle (its approvals/ folder)</label>
        </div>
      ) : (
        <p className="muted">This bundle is an archive: the signed file is kept on this machine for you to hand on.</p>
      )}
      {error !== null && <ErrorNotice error={error} prefix="Not signed" />}
    </ConfirmDialog>
  );
}

export function releaseOf(status: ApprovalStatus): string {
  const { releaseName, releaseVersion } = status.manifest;
  if (releaseName === null) return 'this release';
  return releaseVersion === null ? releaseName : `${releaseName}@${releaseVersion}`;
}
