import { describe, it, expect } from 'vitest';
import { takeOpenRequest } from './open-route';

describe('takeOpenRequest', () => {
  it('reads an encoded path and leaves the rest of the fragment', () => {
    const path = '/home/ada/bundles/fraud m92 & co.tar.gz';
    expect(takeOpenRequest(`#open=${encodeURIComponent(path)}`)).toEqual({ path, rest: '' });
    expect(takeOpenRequest(`#view=trust&open=${encodeURIComponent('C:\\b\\x.zip')}`)).toEqual({ path: 'C:\\b\\x.zip', rest: '#view=trust' });
  });

  it('ignores fragments without a path', () => {
    expect(takeOpenRequest('')).toEqual({ path: null, rest: '' });
    expect(takeOpenRequest('#token=abc')).toEqual({ path: null, rest: '#token=abc' });
    expect(takeOpenRequest('#open=')).toEqual({ path: null, rest: '' });
  });
});
