import { describe, it, expect } from 'vitest';
import { appPageUrl } from './app-origin';

describe('appPageUrl', () => {
  it('is the index page without a bundle to open', () => {
    expect(appPageUrl(null)).toBe('app://countersign/index.html');
  });

  it('carries the bundle path, encoded, in the #open= fragment', () => {
    const url = appPageUrl('/data/release #7/bundle.csbundle');
    expect(url).toBe('app://countersign/index.html#open=%2Fdata%2Frelease%20%237%2Fbundle.csbundle');
    expect(decodeURIComponent(new URL(url).hash.slice('#open='.length))).toBe('/data/release #7/bundle.csbundle');
  });
});
