import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { bundlePathFromArgv, readSecondInstanceData } from './launch-arguments';

const cwd = path.resolve('/home/reviewer/releases');

describe('bundlePathFromArgv', () => {
  it('takes the first argument of a packaged app', () => {
    expect(bundlePathFromArgv(['/opt/Countersign/countersign', 'release-7.csbundle'], { defaultApp: false, cwd })).toBe(
      path.join(cwd, 'release-7.csbundle'),
    );
  });

  it('skips the app folder when running unpackaged', () => {
    expect(bundlePathFromArgv(['electron', '.', 'assets/demo/bundle'], { defaultApp: true, cwd })).toBe(path.join(cwd, 'assets/demo/bundle'));
  });

  it('skips switches wherever they are', () => {
    const argv = ['electron', '--inspect=0', '--remote-debugging-port=0', '.', '--user-data-dir=/tmp/profile', '/data/bundle'];
    expect(bundlePathFromArgv(argv, { defaultApp: true, cwd })).toBe(path.resolve('/data/bundle'));
  });

  it('skips the process serial number macOS adds', () => {
    expect(bundlePathFromArgv(['/Applications/Countersign.app/Contents/MacOS/Countersign', '-psn_0_12345'], { defaultApp: false, cwd })).toBeNull();
  });

  it('gives null when there is no bundle argument', () => {
    expect(bundlePathFromArgv(['electron', '.'], { defaultApp: true, cwd })).toBeNull();
    expect(bundlePathFromArgv(['/opt/Countersign/countersign'], { defaultApp: false, cwd })).toBeNull();
  });
});

describe('readSecondInstanceData', () => {
  it('reads an absolute bundle path', () => {
    expect(readSecondInstanceData({ bundlePath: path.resolve('/data/bundle') })).toEqual({ bundlePath: path.resolve('/data/bundle') });
  });

  it.each([
    ['nothing', undefined],
    ['null', null],
    ['a relative path', { bundlePath: 'bundle' }],
    ['a number', { bundlePath: 7 }],
    ['a string instead of an object', '/data/bundle'],
  ])('ignores %s', (_name, data) => {
    expect(readSecondInstanceData(data)).toEqual({ bundlePath: null });
  });
});
