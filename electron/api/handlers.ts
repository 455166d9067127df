import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { BoardSummary, CommandName, CommandOutput, commands } from '../../shared/api/contract';
import { describeBoardChanges, summariseBoard } from '../../shared/board/board-summary';
import { parsePublicKey } from '../../shared/crypto/keys';
import { decodeBase64Strict } from '../../shared/encoding/base64';
import { HandlerError } from './api-error';
import type { HostHooks } from './dispatcher';
import { classifyBundle } from '../services/bundle/layout';
import { openBundle } from '../services/bundle/open-bundle';
import type { HashPool } from '../services/hashing/hash-files';
import type { Store } from '../services/store/store';
import { parseBoardPolicyBytes } from '../services/trust/board-file';
import { trustFromStore } from '../services/trust/trust-sources';
import { readOfferedKeys } from '../services/verification/offered-keys';
import { verifyBundle } from '../services/verification/verify-bundle';
import packageJson from '../../package.json' with { type: 'json' };

export interface HandlerServices {
  store: Store;
  hashPool: HashPool;
  dataDir: string;
  demoBundlePath: string | null;
  hooks: HostHooks;
}

type HandlerTable = {
  [C in CommandName]: (input: z.output<(typeof commands)[C]['input']>) => Promise<CommandOutput<C>>;
};

const ARCHIVE_NAME = /\.(tar|tgz|tar\.gz|zip|csbundle)$/i;

/** One function per contract command. The mapped type makes a command without a handler a compile error. */
export function createHandlers({ store, hashPool, dataDir, demoBundlePath, hooks }: HandlerServices): HandlerTable {
  const jobs = new Map<string, AbortController>();

  const currentBoard = (): BoardSummary | null => {
    const stored = store.boardPolicy.current();
    return stored ? summariseBoard(parseBoardPolicyBytes(stored.content, 'the stored board policy').policy, stored.digest, stored.importedAt) : null;
  };

  return {
    'app.info': async () => ({
      version: packageJson.version,
      host: hooks.host,
      dataDir,
      demoBundlePath,
      nativeDialogs: hooks.pickFile !== undefined,
    }),

    'bundle.verify': async ({ path: bundlePath, jobId }) => {
      if (jobs.has(jobId)) throw new HandlerError('conflict', `A verification with job ID ${jobId} is already running.`);
      const controller = new AbortController();
      jobs.set(jobId, controller);
      try {
        const report = await verifyBundle(bundlePath, {
          trust: trustFromStore(store),
          hashPool,
          hashCache: store.hashCache,
          signal: controller.signal,
          onProgress: (progress) => hooks.emit('hash.progress', { jobId, ...progress }),
        });
        const release = report.manifest?.releaseName ? `${report.manifest.releaseName}@${report.manifest.releaseVersion ?? ''}` : null;
        store.recentBundles.record(bundlePath, report.verdict, release);
        return report;
      } finally {
        jobs.delete(jobId);
      }
    },

    'bundle.cancel': async ({ jobId }) => {
      const job = jobs.get(jobId);
      job?.abort();
      return { cancelled: job !== undefined };
    },

    'bundle.recent': async () => store.recentBundles.list(),

    'bundle.pickFile': async ({ directory }) => {
      if (!hooks.pickFile) throw new HandlerError('unsupported', 'This host has no native file dialog: type the bundle path instead.');
      return { path: await hooks.pickFile({ directory }) };
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

    'trust.keys': async () => store.pinnedKeys.list(),

    'trust.offeredKeys': async ({ path: bundlePath }) => {
      const bundle = await openBundle(bundlePath);
      try {
        const pinned = new Set(store.pinnedKeys.list().map((key) => key.keyId));
        const offered = await readOfferedKeys(bundle, classifyBundle(bundle.entries.keys()));
        return offered.map(({ offered: key }) => ({ ...key, pinned: key.keyId !== null && pinned.has(key.keyId) }));
      } finally {
        await bundle.close();
      }
    },

    'trust.pin': async ({ publicKey, name, confirmKeyId }) => {
      const key = parsePublicKey(publicKey.trim());
      if (key.keyId !== confirmKeyId) {
        throw new HandlerError('conflict', `The confirmed fingerprint ${confirmKeyId} is not this key's fingerprint ${key.keyId}: nothing was pinned.`);
      }
      return store.pinnedKeys.pin({ keyId: key.keyId, name, publicKey: key.comment ? `${key.openssh} ${key.comment}` : key.openssh });
    },

    'trust.unpin': async ({ keyId }) => ({ removed: store.pinnedKeys.unpin(keyId) }),

    'trust.board': async () => currentBoard(),

    'trust.previewBoard': async ({ text }) => {
      const next = parseBoardPolicyBytes(new TextEncoder().encode(text), 'The board policy');
      const stored = store.boardPolicy.current();
      const currentRules = stored ? parseBoardPolicyBytes(stored.content, 'the stored board policy').policy.rules : null;
      const nextSummary = summariseBoard(next.policy, next.digest, null);
      return { next: nextSummary, changes: describeBoardChanges(currentBoard(), nextSummary, currentRules, next.policy.rules) };
    },

    'trust.importBoard': async ({ text, confirmDigest }) => {
      const next = parseBoardPolicyBytes(new TextEncoder().encode(text), 'The board policy');
      if (next.digest !== confirmDigest) {
        throw new HandlerError('conflict', `The policy changed since it was previewed (digest ${next.digest}, confirmed ${confirmDigest}): nothing was imported.`);
      }
      const stored = store.boardPolicy.replace(next.bytes, next.digest);
      return summariseBoard(next.policy, stored.digest, stored.importedAt);
    },

    'settings.get': async () => store.settings.get(),

    'settings.set': async (changes) => store.settings.set(changes),
  };
}
