import { describe, it, expect } from 'vitest';
import { takeTokenFromHash } from './token';

describe('takeTokenFromHash', () => {
  it('takes the token and leaves an empty fragment', () => {
    expect(takeTokenFromHash('#token=3f9a-b2')).toEqual({ token: '3f9a-b2', rest: '' });
  });

  it('keeps other fragment parameters', () => {
    expect(takeTokenFromHash('#view=trust&token=abc')).toEqual({ token: 'abc', rest: '#view=trust' });
  });

  it('finds no token in an empty or unrelated fragment', () => {
    expect(takeTokenFromHash('')).toEqual({ token: null, rest: '' });
    expect(takeTokenFromHash('#token=')).toEqual({ token: null, rest: '' });
    expect(takeTokenFromHash('#section-2')).toEqual({ token: null, rest: '#section-2' });
  });

  it('decodes an escaped token', () => {
    expect(takeTokenFromHash('#token=a%2Bb%3D').token).toBe('a+b=');
  });
});
