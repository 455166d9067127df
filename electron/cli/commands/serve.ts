import path from 'node:path';
import { parseArgs } from 'node:util';
import { startWebHost } from '../../web/web-host';
import { UsageError } from '../exit-codes';
import { defaultDataDir } from '../data-dir';
import { demoBundlePath, rendererDir } from '../locations';
import { writeOut } from '../output';

export const serveUsage = `countersign serve [--bundle <path>] [--port <n>] [--data-dir <dir>]

  Serves the Countersign UI on 127.0.0.1 (the loopback web host) and prints its URL, with the
  per-run access token, on one line. --bundle opens that bundle when the page loads.`;

export async function serveCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: false,
    options: { bundle: { type: 'string' }, port: { type: 'string' }, 'data-dir': { type: 'string' } },
  });
  void positionals;
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, got "${values.port}".`);

  const host = await startWebHost({ dataDir: values['data-dir'] ?? defaultDataDir(), demoBundlePath: demoBundlePath(), staticDir: rendererDir, port });
  const open = values.bundle ? `&open=${encodeURIComponent(path.resolve(values.bundle))}` : '';
  writeOut(`Countersign is serving on ${host.url}${open}\n`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await host.close();
  return 0;
}
