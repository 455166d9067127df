import path from 'node:path';

/**
 * The bundle path given on the command line, if any: the first argument that is neither a
 * switch (`--user-data-dir=…`, Chromium and Node switches, macOS `-psn_…`) nor, when running
 * unpackaged (`electron . <bundle>`), the app folder itself. Relative paths are resolved
 * against the launching shell's directory, which for a second instance is not ours.
 */
export function bundlePathFromArgv(argv: readonly string[], options: { defaultApp: boolean; cwd: string }): string | null {
  const positional = argv.slice(1).filter((argument) => !argument.startsWith('-'));
  const bundle = options.defaultApp ? positional[1] : positional[0];
  return bundle === undefined || bundle === '' ? null : path.resolve(options.cwd, bundle);
}

/** The data a second instance hands to the first through the single-instance lock. */
export interface SecondInstanceData {
  bundlePath: string | null;
}

/** Reads what a second instance sent (an absolute path, resolved there); it comes from another process, so nothing is assumed. */
export function readSecondInstanceData(data: unknown): SecondInstanceData {
  if (typeof data === 'object' && data !== null && 'bundlePath' in data && typeof data.bundlePath === 'string' && path.isAbsolute(data.bundlePath)) {
    return { bundlePath: data.bundlePath };
  }
  return { bundlePath: null };
}
