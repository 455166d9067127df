import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { verifyCommands } from '../../../shared/api/commands/verify-commands';
import { DomainError, InvalidInputError } from '../../../shared/errors/domain-error';
import { detectSignatureFormat, MAX_DETECTED_JSON_BYTES, type ForeignFormat } from '../../../shared/verify/foreign/detect-format';
import { FORMAT_NAMES } from '../../../shared/verify/foreign/foreign-report';
import { hasTrustFlags, loadTrustFlags, readTrustFile, trustFromProfile, TrustFileError } from '../../services/foreign/load-trust-flags';
import { verifyForeignSignature } from '../../services/foreign/registry';
import type { HandlerServices, HandlersFor } from './handler-kit';

/**
 * Foreign signatures: read the signature once, decide its format from its content, gather the
 * trust (the flags alone when any is given; the profile is then not touched), and hand it to the
 * format's verifier.
 */
export function createVerifyHandlers({ profile, jobs, hashPool }: HandlerServices): HandlersFor<typeof verifyCommands> {
  return {
    'verify.signature': async (input) =>
      jobs.run(input.jobId, async (job) => {
        const flags = input.trust ?? {};
        checkUsage(input);
        const target = resolve(input.target);
        const targetKind = await kindOf(target, 'target');
        // With --layout, the layout is the signature over the work directory that is the target.
        const signatureGiven = input.signature ?? flags.layout;
        const signaturePath = signatureGiven !== undefined ? resolve(signatureGiven) : target;
        if (signatureGiven === undefined && targetKind !== 'file') {
          throw new InvalidInputError(`${input.target} is a directory: give its signature with --signature.`);
        }
        if ((await kindOf(signaturePath, 'signature')) !== 'file') throw new InvalidInputError(`The signature ${signatureGiven ?? input.target} is not a file.`);
        const bytes = new Uint8Array(await readTrustFile(signaturePath, MAX_DETECTED_JSON_BYTES, 'signature'));

        let format: ForeignFormat;
        if (flags.layout !== undefined && (input.format === undefined || input.format === 'auto')) {
          // A layout may come in a DSSE envelope; whatever its wrapping, --layout means in-toto.
          format = 'in-toto';
        } else if (input.format === undefined || input.format === 'auto') {
          const detected = detectSignatureFormat(bytes);
          if (detected.format === null) throw new DomainError('invalid-format', `${signatureGiven ?? input.target} is not a signature Countersign recognises: ${detected.reason}.`);
          format = detected.format;
        } else {
          format = input.format;
        }
        checkFlagsFit(format, input);
        if (format === 'in-toto' && (flags.layout === undefined || input.links === undefined || (flags.keys ?? []).length === 0)) {
          throw new InvalidInputError('in-toto is verified with --layout <root.layout> --links <dir> --key <layout owner key>: the layout owner’s key is the only trust.');
        }
        if (format === 'sshsig' && input.namespace === undefined) {
          throw new InvalidInputError('An SSH signature is checked in one namespace: give --namespace (a signature made for another purpose, such as git, never counts).');
        }

        const options = {
          namespace: input.namespace ?? null,
          links: input.links !== undefined ? resolve(input.links) : null,
          ignorePaths: input.ignorePaths ?? [],
          ignoreUnsignedFiles: input.ignoreUnsignedFiles ?? false,
          threshold: input.threshold ?? 1,
        };
        const trust = hasTrustFlags(flags) ? await loadTrustFlags(flags, options) : trustFromProfile(profile.trust(), options);
        return verifyForeignSignature({
          format,
          target: { path: target, kind: targetKind },
          signature: { path: signaturePath, bytes, separate: signaturePath !== target },
          trust,
          job,
          hashPool,
          now: new Date(),
        });
      }),
  };
}

type VerifyInput = Parameters<HandlersFor<typeof verifyCommands>['verify.signature']>[0];

/** The combinations the command line refuses before anything is read. */
function checkUsage(input: VerifyInput): void {
  const flags = input.trust ?? {};
  const keyless = flags.trustedRoot !== undefined || flags.certificateIdentity !== undefined || flags.certificateOidcIssuer !== undefined;
  if (keyless && (flags.certificateIdentity === undefined || flags.certificateOidcIssuer === undefined)) {
    throw new InvalidInputError('Keyless verification needs both --certificate-identity and --certificate-oidc-issuer (with --trusted-root): a certificate proves nothing without the identity it must name.');
  }
  if (flags.layout !== undefined && (flags.keys ?? []).length === 0) {
    throw new InvalidInputError('--layout needs --key: the layout owner’s public key, which the layout must be signed with.');
  }
}

/** Options each format of this module reads; a flag it would ignore is refused, so nobody believes it was applied. */
const OPTIONS_USED: Partial<Record<ForeignFormat, ReadonlySet<string>>> = {
  dsse: new Set(['--key', '--threshold']),
  sshsig: new Set(['--key', '--allowed-signers', '--principal', '--namespace', '--threshold']),
  // OMS and Sigstore read the keyless flags: a Fulcio certificate checked against the trusted root for that identity and issuer.
  oms: new Set(['--key', '--ca', '--ignore-paths', '--ignore-unsigned-files', '--threshold', '--trusted-root', '--certificate-identity', '--certificate-oidc-issuer']),
  sigstore: new Set(['--key', '--ca', '--threshold', '--trusted-root', '--certificate-identity', '--certificate-oidc-issuer']),
  'in-toto': new Set(['--key', '--layout', '--links']),
};

function checkFlagsFit(format: ForeignFormat, input: VerifyInput): void {
  const used = OPTIONS_USED[format];
  if (used === undefined) return;
  const trust = input.trust ?? {};
  const given: [string, boolean][] = [
    ['--ca', (trust.ca ?? []).length > 0],
    ['--trusted-root', trust.trustedRoot !== undefined],
    ['--certificate-identity', trust.certificateIdentity !== undefined],
    ['--certificate-oidc-issuer', trust.certificateOidcIssuer !== undefined],
    ['--allowed-signers', trust.allowedSigners !== undefined],
    ['--principal', trust.principal !== undefined],
    ['--layout', trust.layout !== undefined],
    ['--namespace', input.namespace !== undefined],
    ['--links', input.links !== undefined],
    ['--ignore-paths', (input.ignorePaths ?? []).length > 0],
    ['--ignore-unsigned-files', input.ignoreUnsignedFiles === true],
  ];
  const unused = given.filter(([flag, present]) => present && !used.has(flag)).map(([flag]) => flag);
  if (unused.length > 0) throw new InvalidInputError(`${unused.join(', ')} ${unused.length === 1 ? 'does' : 'do'} not apply to ${FORMAT_NAMES[format]}: leave ${unused.length === 1 ? 'it' : 'them'} out.`);
}

async function kindOf(path: string, what: string): Promise<'file' | 'directory'> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return 'directory';
    if (info.isFile()) return 'file';
    throw new TrustFileError('unreadable', `The ${what} ${path} is neither a file nor a directory.`);
  } catch (error) {
    if (error instanceof DomainError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new TrustFileError(code === 'ENOENT' ? 'not-found' : 'unreadable', `The ${what} ${path} cannot be read: ${code === 'ENOENT' ? 'no such file or directory' : (error as Error).message}.`);
  }
}
