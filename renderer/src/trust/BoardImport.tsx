import { useId, useState } from 'react';
import { useCommand, useCommandMutation } from '../bridge/hooks';
import { ErrorNotice } from '../common/ErrorNotice';
import { formatBytes, formatCount } from '../format';
import { OutsideText } from '../common/OutsideText';
import { BoardSummaryView } from './BoardSummaryView';
import { useAppShell } from '../navigation/AppContext';

/** The contract's cap on a policy document. */
const MAX_POLICY_BYTES = 4 * 1024 * 1024;

/**
 * Imports a board policy in two steps: the host previews what would change and the policy's digest;
 * importing then confirms that exact digest, so the text cannot change between the two.
 */
export function BoardImport() {
  const { trustChanged } = useAppShell();
  const headingId = useId();
  const fileId = useId();
  const textId = useId();
  const [text, setText] = useState('');
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const current = useCommand('trust.board', {});
  const preview = useCommandMutation('trust.previewBoard');
  const importBoard = useCommandMutation('trust.importBoard', {
    onSuccess: () => {
      setText('');
      preview.reset();
      trustChanged();
    },
  });

  const changeText = (next: string) => {
    setText(next);
    preview.reset();
    importBoard.reset();
  };

  const loadFile = async (file: File | undefined) => {
    setFileProblem(null);
    if (file === undefined) return;
    if (file.size > MAX_POLICY_BYTES) {
      setFileProblem(`${file.name} is ${formatBytes(file.size)}; a board policy may be at most ${formatBytes(MAX_POLICY_BYTES)}.`);
      return;
    }
    try {
      changeText(await file.text());
    } catch {
      setFileProblem(`${file.name} could not be read.`);
    }
  };

  const next = preview.data?.next;
  return (
    <section aria-labelledby={headingId} className="subpanel">
      <h3 id={headingId}>Import a board policy</h3>
      <div className="field">
        <label htmlFor={fileId}>Policy file</label>
        <input id={fileId} type="file" accept=".json,application/json" onChange={(event) => void loadFile(event.target.files?.[0])} />
      </div>
      {fileProblem !== null && <p role="alert" className="error-notice">{fileProblem}</p>}
      <div className="field">
        <label htmlFor={textId}>Policy text</label>
        <textarea id={textId} className="mono" rows={6} value={text} spellCheck={false} onChange={(event) => changeText(event.target.value)} />
      </div>
      <button type="button" disabled={text.trim() === '' || preview.isPending} onClick={() => preview.mutate({ text })}>
        Preview
      </button>
      {preview.isError && <ErrorNotice error={preview.error} prefix="Not a usable board policy" />}
      {next !== undefined && preview.data !== undefined && (
        <div className="board-preview" aria-label="Board policy preview" role="group">
          <p>
            <strong>
              <OutsideText text={next.board} />
            </strong>
            , version {next.version}: {formatCount(next.members.length, 'member')}, {formatCount(next.producers.length, 'producer')},{' '}
            {formatCount(next.revokedKeys.length, 'revoked key')}.
          </p>
          <h4>What changes</h4>
          {preview.data.changes.length === 0 ? (
            <p className="muted">
              {current.data === null ? 'No board policy is imported yet; this one becomes the first.' : 'No changes from the current board policy.'}
            </p>
          ) : (
            <ul aria-label="Changes" className="reasons">
              {preview.data.changes.map((change, index) => (
                <li key={index}>{change}</li>
              ))}
            </ul>
          )}
          <h4>The policy as it would be</h4>
          <BoardSummaryView board={next} />
          <div className="actions">
            <button type="button" className="primary" disabled={importBoard.isPending} onClick={() => importBoard.mutate({ text, confirmDigest: next.digest })}>
              Import
            </button>
            <button type="button" disabled={importBoard.isPending} onClick={() => preview.reset()}>
              Discard
            </button>
          </div>
          {importBoard.isError && <ErrorNotice error={importBoard.error} prefix="Not imported" />}
        </div>
      )}
      <p className="success-notice" aria-live="polite">
        {importBoard.isSuccess && `Imported ${importBoard.data.board}, version ${importBoard.data.version}.`}
      </p>
    </section>
  );
}
