// For tests: foreign signatures made at test time by real producers (ssh-keygen, openssl), and
// the built CLI run as users run it.
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILT_CLI } from './built-cli';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI with a profile directory inside `work` that the caller can check was never created. */
export function runCli(work: string, ...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BUILT_CLI, ...args], { cwd: repoRoot, env: { ...process.env, COUNTERSIGN_DATA_DIR: path.join(work, 'profile') } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

/** `--json` output, parsed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test reads fields of our own CLI's JSON
export function reportOf(run: CliRun): any {
  // eslint-disable-next-line no-restricted-syntax -- our own CLI's output
  return JSON.parse(run.stdout);
}

/** DSSE's pre-authentication encoding, written out independently of the code under test. */
export function paeOf(payloadType: string, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(payloadType)} ${payloadType} ${payload.length} `), payload]);
}

/** An openssl DER ECDSA signature (SEQUENCE of two INTEGERs) as IEEE P1363 r || s. */
export function derToP1363(der: Buffer, size: number): Buffer {
  let offset = 2;
  if (der[1]! & 0x80) offset = 2 + (der[1]! & 0x7f);
  const integers: Buffer[] = [];
  for (let i = 0; i < 2; i++) {
    if (der[offset] !== 0x02) throw new Error('not a DER INTEGER');
    const length = der[offset + 1]!;
    let value = der.subarray(offset + 2, offset + 2 + length);
    while (value.length > size && value[0] === 0) value = value.subarray(1);
    integers.push(Buffer.concat([Buffer.alloc(size - value.length), value]));
    offset += 2 + length;
  }
  return Buffer.concat(integers);
}

/** `SHA256:` + unpadded base64 of SHA-256 over the DER SubjectPublicKeyInfo, computed by openssl. */
export function spkiKeyId(publicPem: string): string {
  const der = execFileSync('openssl', ['pkey', '-pubin', '-in', publicPem, '-outform', 'DER']);
  return `SHA256:${createHash('sha256').update(der).digest('base64').replace(/=+$/, '')}`;
}

export function sha256Hex(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function writeFile(dir: string, name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}
