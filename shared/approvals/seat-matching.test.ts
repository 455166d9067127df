import { describe, it, expect } from 'vitest';
import { matchSeats } from './seat-matching';

describe('matchSeats', () => {
  it('moves earlier holders along an augmenting path to seat everyone', () => {
    // Greedy in order seats A in risk, B in privacy, and then C (risk only) has nowhere to go.
    const holders = matchSeats(['risk', 'privacy', 'legal'], [{ roles: ['risk', 'privacy'] }, { roles: ['privacy', 'legal'] }, { roles: ['risk'] }]);
    expect(holders).toEqual([2, 0, 1]);
  });

  it('gives a member holding several roles one seat only', () => {
    expect(matchSeats(['risk', 'privacy'], [{ roles: ['risk', 'privacy'] }])).toEqual([0, null]);
  });

  it('fills several seats of one role with different members', () => {
    expect(matchSeats(['risk', 'risk', 'risk'], [{ roles: ['risk'] }, { roles: ['risk'] }])).toEqual([0, 1, null]);
  });

  it('follows the preferred role when both choices seat everyone', () => {
    expect(matchSeats(['risk', 'privacy'], [{ roles: ['privacy', 'risk'] }, { roles: ['risk', 'privacy'] }])).toEqual([1, 0]);
  });
});
