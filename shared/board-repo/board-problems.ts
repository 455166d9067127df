/** Something wrong found in the board repository, in plain words; `path` names the file when there is one. */
export interface BoardProblem {
  code:
    | 'genesis-missing'
    | 'genesis-mismatch'
    | 'name-mismatch'
    | 'changed-on-remote'
    | 'missing-on-remote'
    | 'unreadable'
    | 'bad-signature'
    | 'not-a-member'
    | 'wrong-board'
    | 'competing-successors'
    | 'approval-moved'
    | 'log-broken'
    | 'log-rewritten'
    | 'log-lists-missing'
    | 'cosignature-invalid';
  message: string;
  path: string | null;
  /** This computer's own queued object, refused before it was pushed: it left the queue. */
  queued?: true;
}

export function problem(code: BoardProblem['code'], message: string, path: string | null = null): BoardProblem {
  return { code, message, path };
}
