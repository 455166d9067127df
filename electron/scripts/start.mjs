// `npm start`: builds, then opens the Countersign window on the demo bundle.
//
// Electron's runtime is downloaded on first use from outside the npm registry. Where that
// download is impossible, the same app (same renderer, same handler table, same database) is
// served by the loopback web host instead, and this script says so plainly.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { electronInstaller, findElectronBinary, repoRoot } from './electron-runtime.mjs';

const DOWNLOAD_TIMEOUT_MS = 60_000;
const demoBundle = path.join('assets', 'demo', 'bundle');

function runNodeScript(script, options = {}) {
  return spawnSync(process.execPath, [script], { cwd: repoRoot, stdio: 'inherit', ...options });
}

/**
 * Runs `command` until it exits, passing interrupts and termination on to it. Ctrl+C in a
 * terminal already reaches the child (same process group); sending it a second SIGINT would
 * cut its clean shutdown short, so SIGINT is forwarded only when it did not come from a terminal.
 */
function runForwardingSignals(command, args, env = process.env) {
  const child = spawn(command, args, { cwd: repoRoot, stdio: 'inherit', env });
  process.on('SIGINT', () => {
    if (!process.stdin.isTTY) child.kill('SIGINT');
  });
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

async function serveWebHost(reason) {
  console.log(
    `\n${reason} Countersign is therefore serving the same app with its loopback web host: the same ` +
      'interface, checks and database, in your browser instead of a window. Open the address on the next ' +
      'line (it carries a one-time access token); press Ctrl+C to stop. On a machine that can download ' +
      'Electron, `npm start` opens the Countersign window.\n',
  );
  return runForwardingSignals(process.execPath, [path.join('electron', 'cli', 'countersign.mjs'), 'serve', '--bundle', demoBundle]);
}

async function openWindow(electronBinary) {
  // An inherited ELECTRON_RUN_AS_NODE would turn the window app into a plain Node process.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const code = await runForwardingSignals(electronBinary, ['.', demoBundle], env);
  if (code !== 0 && process.platform === 'linux') {
    console.error(
      `Electron exited with code ${code}. If the messages above mention the sandbox (chrome-sandbox, ` +
        'namespaces), this Linux system restricts the sandbox Countersign runs in; see ' +
        'https://www.electronjs.org/docs/latest/tutorial/sandbox#linux. Countersign does not turn the sandbox off.',
    );
  }
  return code;
}

async function main() {
  const build = runNodeScript(path.join('electron', 'scripts', 'build.mjs'));
  if (build.status !== 0) return build.status ?? 1;

  let electronBinary = findElectronBinary();
  if (electronBinary === null) {
    console.log(`Fetching the Electron runtime (one try, at most ${DOWNLOAD_TIMEOUT_MS / 1000} s)…`);
    // Its failure is explained below in one paragraph; its stack trace would add nothing.
    runNodeScript(electronInstaller, { timeout: DOWNLOAD_TIMEOUT_MS, killSignal: 'SIGKILL', stdio: 'ignore' });
    electronBinary = findElectronBinary();
  }
  if (electronBinary === null) {
    return serveWebHost('The Electron runtime could not be downloaded on this machine (only the npm registry is reachable from here).');
  }

  const native = runNodeScript(path.join('electron', 'scripts', 'native-electron.mjs'));
  if (native.status !== 0) {
    return serveWebHost('The SQLite module could not be built for Electron on this machine (see the message above).');
  }
  return openWindow(electronBinary);
}

process.exitCode = await main();
