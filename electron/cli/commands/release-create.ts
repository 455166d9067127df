import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CreatedRelease, ReleaseSigner } from '../../../shared/api/commands/release-commands';
import { jsonText } from '../../../shared/text/neutralise';
import { CLI_JOB, withDispatcher, type CliCall } from '../cli-dispatcher';
import { ExitCode, UsageError } from '../exit-codes';
import { writeOut } from '../output';
import { readPassphrase } from '../passphrase';
import { createProgressPrinter } from '../progress';

export const releaseCreateUsage = `countersign release create <path>... --out <dir | file.csbundle | file.tar.gz | file.zip> --name <release name> --version <version> (--key <key-id> | --key-file <OpenSSH private key file> | --ssh-agent <key-id>) [--git <repository directory>] [--allow-dirty] [--mlflow <run or model directory>] [--dvc <repository directory>] [--image <registry/repo@sha256:...>]... [--lock <file>]... [--subject <kind>:<name>=sha256:<hex>]... [--lineage <file>]... [--deployment <file>] [--attestation <file>]... [--seed <n>] [--hardware auto | --hardware-file <json>] [--tolerance <metric>=<max delta>] [--metric <name>=<value>]... [--created-at <RFC 3339>] [--exclude <glob>]... [--kind <glob>=<kind>]... [--json] [--data-dir <dir>]

  Makes a signed release bundle (FORMATS §4, §9). Every file under the paths becomes a subject and
  a blob under artifacts/, named by its path relative to the working directory; its kind comes
  from its name (models: onnx, safetensors, gguf, pt, pkl, joblib, h5, keras, pb, tflite; datasets:
  parquet, csv, jsonl, arrow, tfrecord; lock files; configs: json, yaml, toml, ini...; else other).
  --kind <glob>=<kind>   override the kind of the files the glob matches (the last match wins);
                         a glob without "/" matches the file name at any depth, "**" any folders
  --exclude <glob>       leave those files (or folders) out
  --key <key-id>         sign with a key of the profile: its passphrase is asked, or read from
                         COUNTERSIGN_PASSPHRASE
  --key-file <file>      sign with an OpenSSH Ed25519 private key file (a CI secret); its
                         passphrase, if any, from COUNTERSIGN_PASSPHRASE
  --ssh-agent <key-id>   sign with an Ed25519 key held by the ssh-agent at SSH_AUTH_SOCK
  --git <dir>            pin the commit of HEAD as a code subject named by the remote URL; a dirty
                         work tree is refused unless --allow-dirty (recorded, shown to reviewers)
  --mlflow <dir>         an MLflow model or run directory: models, environment files as lock
                         files, seed, metrics, dataset inputs as lineage
  --dvc <dir>            dvc.lock as lineage; every output present in the work tree shipped
  --hardware auto        record CPU, cores, memory, OS and NVIDIA GPUs (nvidia-smi)
  --image <ref@sha256:…> a container pinned by digest; a tag alone is refused
  --lock <file>          a lock file, shipped with kind lockfile
  --subject <kind>:<name>=sha256:<hex>   pinned by digest only, no blob shipped
                         (a commit: code:<repository URL>=gitCommit:<hex>)
  --lineage, --deployment  files shipped at the bundle's top level, checked as a reader checks them
  --attestation <file>     a producer's attestation (OMS model.sig, DSSE envelope or Sigstore bundle),
                           shipped as attestations/<file name> and checked by verify under the board's producers
  --seed, --hardware-file  recorded in predicate.environment; --metric in predicate.evaluation;
                         --tolerance in predicate.tolerance
  --created-at <time>    the manifest's createdAt (default: now); with the same inputs, key and
                         time, the bundle is byte-identical
  Nothing outside the paths is read; symbolic links are refused; an existing, non-empty --out is
  refused; on any error nothing is left behind.
  Exit: 0 created, 1 refused (a dirty work tree without --allow-dirty), 2 bad input (the problem named), wrong passphrase, unknown key, or a usage error.`;

export async function releaseCreateCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      name: { type: 'string' },
      version: { type: 'string' },
      key: { type: 'string' },
      'key-file': { type: 'string' },
      'ssh-agent': { type: 'string' },
      git: { type: 'string' },
      'allow-dirty': { type: 'boolean' },
      mlflow: { type: 'string' },
      dvc: { type: 'string' },
      hardware: { type: 'string' },
      image: { type: 'string', multiple: true },
      lock: { type: 'string', multiple: true },
      subject: { type: 'string', multiple: true },
      lineage: { type: 'string', multiple: true },
      deployment: { type: 'string' },
      attestation: { type: 'string', multiple: true },
      seed: { type: 'string' },
      'hardware-file': { type: 'string' },
      tolerance: { type: 'string' },
      metric: { type: 'string', multiple: true },
      'created-at': { type: 'string' },
      exclude: { type: 'string', multiple: true },
      kind: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      'data-dir': { type: 'string' },
    },
  });
  const out = required(values.out, '--out <dir | file.csbundle | file.tar.gz | file.zip>');
  const name = required(values.name, '--name <release name>');
  const version = required(values.version, '--version <version>');
  if ([values.key, values['key-file'], values['ssh-agent']].filter((given) => given !== undefined).length !== 1) {
    throw new UsageError(`release create needs exactly one of --key <key-id>, --key-file <file> and --ssh-agent <key-id>.\n\n${releaseCreateUsage}`);
  }
  if (values.hardware !== undefined && values.hardware !== 'auto') throw new UsageError(`--hardware takes only "auto" (or give --hardware-file <json>), got ${JSON.stringify(values.hardware)}.`);
  const sourceGiven = values.git !== undefined || values.mlflow !== undefined || values.dvc !== undefined;
  if (positionals.length === 0 && !sourceGiven && (values.image ?? []).length + (values.lock ?? []).length + (values.subject ?? []).length === 0) {
    throw new UsageError(`release create needs something to pin: paths, --git, --mlflow, --dvc, --image, --lock or --subject.\n\n${releaseCreateUsage}`);
  }

  const progress = values.json ? null : createProgressPrinter(process.stderr);
  try {
    return await withDispatcher({ dataDir: values['data-dir'], onProgress: progress?.update }, async (call) => {
      const request = {
        jobId: CLI_JOB,
        baseDir: process.cwd(),
        paths: positionals,
        out,
        name,
        version,
        images: values.image ?? [],
        locks: values.lock ?? [],
        subjects: values.subject ?? [],
        lineage: values.lineage ?? [],
        attestations: values.attestation ?? [],
        metrics: values.metric ?? [],
        excludes: values.exclude ?? [],
        kinds: values.kind ?? [],
        ...(values.deployment !== undefined ? { deployment: values.deployment } : {}),
        ...(values.seed !== undefined ? { seed: values.seed } : {}),
        ...(values['hardware-file'] !== undefined ? { hardwareFile: values['hardware-file'] } : {}),
        ...(values.tolerance !== undefined ? { tolerance: values.tolerance } : {}),
        ...(values['created-at'] !== undefined ? { createdAt: values['created-at'] } : {}),
        ...(values.git !== undefined ? { git: values.git } : {}),
        ...(values['allow-dirty'] === true ? { allowDirty: true } : {}),
        ...(values.mlflow !== undefined ? { mlflow: values.mlflow } : {}),
        ...(values.dvc !== undefined ? { dvc: values.dvc } : {}),
        ...(values.hardware === 'auto' ? { hardware: 'auto' as const } : {}),
      };
      const created =
        values.key !== undefined
          ? await withProfileKey(call, values.key, (signer) => call('release.create', { ...request, signer }))
          : await call('release.create', { ...request, signer: values['ssh-agent'] !== undefined ? { kind: 'ssh-agent', keyId: values['ssh-agent'] } : await keyFileSigner(call, values['key-file']!) });
      progress?.done();
      writeOut((values.json ? jsonText(created) : describeCreated(created)) + '\n');
      return ExitCode.ok;
    });
  } finally {
    progress?.done();
  }
}

/** A profile key, unlocked for this one release and locked again whatever happens. */
async function withProfileKey<T>(call: CliCall, keyId: string, use: (signer: ReleaseSigner) => Promise<T>): Promise<T> {
  const key = (await call('keys.list', {})).find((candidate) => candidate.keyId === keyId);
  if (key === undefined) throw new UsageError(`no key ${keyId} in this profile (see countersign keys list; or sign with --key-file).`);
  await call('keys.unlock', { keyId, passphrase: await readPassphrase(`Passphrase for ${key.name} (${keyId})`) });
  try {
    return await use({ kind: 'profile', keyId });
  } finally {
    await call('keys.lock', { keyId });
  }
}

/** An OpenSSH key file: its passphrase is read only when the file is protected. */
async function keyFileSigner(call: CliCall, file: string): Promise<ReleaseSigner> {
  const keyFile = path.resolve(file);
  const { keyId, protection } = await call('keys.inspectKeyFile', { path: keyFile });
  if (protection === 'none') return { kind: 'key-file', path: keyFile };
  return { kind: 'key-file', path: keyFile, passphrase: await readPassphrase(`Passphrase for ${file} (${keyId})`) };
}

function describeCreated(created: CreatedRelease): string {
  const MiB = 1024 * 1024;
  return [
    `Created ${created.release.name}@${created.release.version} at ${created.out} (${created.format})`,
    `  ${created.subjects} subjects, ${created.shipped} files shipped (${(created.shippedBytes / MiB).toFixed(1)} MiB)`,
    `  manifest sha256:${created.manifestDigest}`,
    `  signed by ${created.createdBy} at ${created.createdAt}`,
  ].join('\n');
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`release create needs ${flag}.\n\n${releaseCreateUsage}`);
  return value;
}
