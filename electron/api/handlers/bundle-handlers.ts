import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { bundleCommands } from '../../../shared/api/commands/bundle-commands';
import { decodeBase64Strict } from '../../../shared/encoding/base64';
import { HandlerError } from '../api-error';
import type { HandlerServices, HandlersFor } from './handler-kit';

const ARCHIVE_NAME = /\.(tar|tgz|tar\.gz|zip|csbundle)$/i;

export function createBundleHandlers({ profile, dataDir, hooks }: HandlerServices): HandlersFor<typeof bundleCommands> {
  return {
    'bundle.recent': async () => profile.store().recentBundles.list(),
    'bundle.pickFile': async ({ directory, purpose }) => {
      if (!hooks.pickFile) throw new HandlerError('unsupported', 'This host has no native file dialog: type the bundle path instead.');
      return { path: await hooks.pickFile({ directory, purpose: purpose ?? 'bundle' }) };
    },

    'bundle.importArchive': async ({ fileName, base64 }) => {
      const baseName = path.basename(fileName.replaceAll('\\', '/'));
      if (!ARCHIVE_NAME.test(baseName)) throw new HandlerError('invalid-input', `${baseName} is not a bundle archive (.tar, .tar.gz, .tgz, .zip or .csbundle).`);
      const bytes = decodeBase64Strict(base64, baseName);
      // Dropped archives are kept in the profile so Open Recent can reopen them; the name is ours, not the sender's.
      const importsDir = path.join(dataDir, 'imports');
      await fs.mkdir(importsDir, { recursive: true, mode: 0o700 });
      const safeName = baseName.replace(/[^A-Za-z0-9._-]/g, '_');
      const target = path.join(importsDir, `${randomBytes(6).toString('hex')}-${safeName}`);
      await fs.writeFile(target, bytes, { flag: 'wx', mode: 0o600 });
      return { path: target };
    },
  };
}
