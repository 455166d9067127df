import path from 'node:path';
import type { ReleaseSigner, releaseCommands } from '../../../shared/api/commands/release-commands';
import { InvalidInputError } from '../../../shared/errors/domain-error';
import { compareReleases, type ComparableRelease } from '../../../shared/compare/compare-releases';
import type { TrustContext } from '../../../shared/verify/trust';
import type { ReviewSession } from '../../services/session/review-session';
import { createRelease } from '../../services/release/create-release';
import { keyFileSigner, profileKeySigner, type ManifestSigner, type OfferedPublicKey } from '../../services/release/manifest-signer';
import { collectSources } from '../../services/release/sources/collect-sources';
import { sshAgentSigner } from '../../services/keys/ssh-agent';
import type { Profile } from '../../services/profile/profile';
import { HandlerError } from '../api-error';
import type { HandlerServices, HandlersFor } from './handler-kit';

/** Comparing two releases reads each session's manifest and lineage; nothing is hashed. */
export function createReleaseHandlers({ profile, sessions, jobs, hashPool }: HandlerServices): HandlersFor<typeof releaseCommands> {
  return {
    'release.create': async ({ jobId, signer: signerInput, git, allowDirty, mlflow, dvc, hardware, ...request }) => {
      if (!path.isAbsolute(request.baseDir)) throw new InvalidInputError(`baseDir must be a full path, not ${JSON.stringify(request.baseDir)}`);
      if (hardware !== undefined && request.hardwareFile !== undefined) throw new InvalidInputError('give --hardware auto or --hardware-file <json>, not both');
      const inBase = (given: string | undefined) => (given === undefined ? undefined : path.resolve(request.baseDir, given));
      // Read before the key is opened: a dirty work tree or a bad MLflow directory needs no passphrase.
      const sources = await collectSources({ git: inBase(git), allowDirty, mlflow: inBase(mlflow), dvc: inBase(dvc), hardware });
      const signer = await openSigner(profile, signerInput);
      try {
        return await jobs.run(jobId, ({ signal, onProgress }) =>
          createRelease(request, { hashPool, signer, offeredKey: signer.publicKey, sources, signal, onProgress }),
        );
      } finally {
        signer.dispose();
      }
    },

    'release.compare': async ({ oldSessionId, newSessionId }) => {
      const trust = profile.trust();
      const [previous, next] = await Promise.all([comparableRelease(sessions.getForBundleQuestion(oldSessionId), trust, 'old'), comparableRelease(sessions.getForBundleQuestion(newSessionId), trust, 'new')]);
      return compareReleases(previous, next);
    },
  };
}

/** One session's release as `release.compare` and `release.reproduce` read it. */
export async function comparableRelease(session: ReviewSession, trust: TrustContext, side: 'old' | 'new'): Promise<ComparableRelease> {
  const check = session.manifestCheck(trust);
  const manifest = check.manifest;
  if (manifest === null || check.summary === null) {
    const why = check.findings.find((finding) => finding.severity === 'error')?.message ?? 'it has no manifest.dsse.json';
    throw new HandlerError('invalid-format', `The ${side} release ${session.sourcePath} cannot be compared: ${why}`);
  }
  const lineage = session.hasLineage ? (await session.lineage()).lineage.graph : null;
  return {
    manifestDigest: check.summary.digest,
    release: manifest.release ? `${manifest.release.name}@${manifest.release.version}` : null,
    signedByTrustedKey: check.signatures.some((signature) => signature.status === 'valid'),
    subjects: manifest.subjects,
    environment: manifest.environment,
    tolerance: manifest.tolerance,
    lineage,
  };
}

/** The signer a request names; `dispose` forgets any key material it holds. */
async function openSigner(profile: Profile, signer: ReleaseSigner): Promise<ManifestSigner & { publicKey: OfferedPublicKey; dispose(): void }> {
  switch (signer.kind) {
    case 'profile':
      return { ...profileKeySigner(profile.store().keys, signer.keyId), dispose: () => {} };
    case 'key-file':
      if (!path.isAbsolute(signer.path)) throw new InvalidInputError(`give the key file's full path, not ${JSON.stringify(signer.path)}`);
      return keyFileSigner(signer.path, signer.passphrase);
    case 'ssh-agent': {
      const agent = await sshAgentSigner(signer.keyId);
      return { keyId: agent.keyId, sign: agent.sign, publicKey: { line: agent.publicKeyLine, fileName: 'release-signer.pub' }, dispose: () => {} };
    }
  }
}
