import { useId, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { commandKey, useCommandMutation } from '../bridge/hooks';
import { ErrorNotice } from '../common/ErrorNotice';
import { readGenesis } from './board-words';

/**
 * No board is set up for this data directory: how to set one up, and a form to join an existing
 * board by its remote (pinned by the genesis digest a member gives, or trusted on first use).
 */
export function BoardSetup() {
  const headingId = useId();
  const remoteId = useId();
  const genesisId = useId();
  const queryClient = useQueryClient();
  const [remote, setRemote] = useState('');
  const [genesis, setGenesis] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const clone = useCommandMutation('board.clone', {
    onSuccess: (status) => {
      queryClient.setQueryData(commandKey('board.status', {}), status);
      void queryClient.invalidateQueries({ queryKey: commandKey('board.inbox') });
    },
  });

  const submit = () => {
    setProblem(null);
    clone.reset();
    const pin = readGenesis(genesis);
    if ('problem' in pin) return setProblem(pin.problem);
    if (remote.trim() === '') return setProblem('Give the remote: the address of the board repository, e.g. git@example.org:board.git or https://example.org/board.git.');
    clone.mutate({ remote: remote.trim(), genesis: pin.digest });
  };

  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>No board is set up here</h2>
      <p>
        This data directory does not share a board yet. A member creates one with <code>countersign board init &lt;remote&gt; --board board.json --key &lt;key-id&gt;</code>; everyone
        else joins it with <code>countersign board clone &lt;remote&gt; --genesis sha256:&lt;digest&gt;</code>, or here:
      </p>
      <form
        aria-label="Join a board"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <div className="field">
          <label htmlFor={remoteId}>Remote</label>
          <input id={remoteId} type="text" spellCheck={false} autoComplete="off" value={remote} onChange={(event) => setRemote(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={genesisId}>Genesis digest (from a member)</label>
          <input id={genesisId} type="text" className="mono" spellCheck={false} autoComplete="off" placeholder="sha256:…" value={genesis} onChange={(event) => setGenesis(event.target.value)} />
        </div>
        <p className="muted">Without the digest the first policy found is trusted on first use: compare its digest with a member over another channel afterwards.</p>
        <button type="submit" aria-busy={clone.isPending} disabled={clone.isPending}>
          {clone.isPending ? 'Joining…' : 'Join the board'}
        </button>
      </form>
      {problem !== null && (
        <p role="alert" className="error-notice">
          {problem}
        </p>
      )}
      {clone.isError && <ErrorNotice error={clone.error} prefix="Not joined" />}
    </section>
  );
}
