import { describe, expect, it } from 'vitest';
import { boardStanding } from './key-words';

const board = {
  members: [
    { name: 'Ada Byron', roles: ['risk'], keyIds: ['SHA256:ada'] },
    { name: 'Alan Turing', roles: ['privacy', 'ml-lead'], keyIds: ['SHA256:alan', 'SHA256:both'] },
    { name: 'Nobody', roles: [], keyIds: ['SHA256:none'] },
  ],
  producers: [{ name: 'training CI', keyIds: ['SHA256:ci', 'SHA256:both'] }],
  revokedKeys: ['SHA256:old'],
};

describe('boardStanding', () => {
  it('names the member and roles, the producer, or why the key does not count', () => {
    expect(boardStanding(board, 'SHA256:ada')).toBe('Ada Byron, risk');
    expect(boardStanding(board, 'SHA256:alan')).toBe('Alan Turing, privacy and ml-lead');
    expect(boardStanding(board, 'SHA256:none')).toBe('Nobody, member with no role');
    expect(boardStanding(board, 'SHA256:ci')).toBe('signs releases as training CI');
    expect(boardStanding(board, 'SHA256:both')).toBe('Alan Turing, privacy and ml-lead; signs releases as training CI');
    expect(boardStanding(board, 'SHA256:old')).toMatch(/^Revoked by the board/);
    expect(boardStanding(board, 'SHA256:stranger')).toMatch(/^Not on the board/);
    expect(boardStanding(null, 'SHA256:ada')).toBe('No board policy imported');
  });
});
