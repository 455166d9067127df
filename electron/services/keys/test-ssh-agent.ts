import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** A real ssh-agent for a test, on its own socket, stopped by its PID. */
export interface TestAgent {
  socket: string;
  pid: number;
  /** `ssh-add`s a private key file to this agent. */
  add(privateKeyFile: string): void;
  stop(): Promise<void>;
}

export async function startTestAgent(directory: string): Promise<TestAgent> {
  const socket = path.join(directory, `agent-${process.pid}-${Math.random().toString(36).slice(2)}.sock`);
  // -D: stays in the foreground, so the child's PID is the agent's and killing it stops it.
  const child: ChildProcess = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let attempt = 0; !fs.existsSync(socket); attempt++) {
    if (attempt > 200 || child.exitCode !== null) throw new Error('ssh-agent did not start');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return {
    socket,
    pid: child.pid!,
    add: (privateKeyFile) => execFileSync('ssh-add', [privateKeyFile], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'pipe' }),
    stop: async () => {
      if (child.exitCode === null) {
        process.kill(child.pid!, 'SIGTERM');
        await exited;
      }
    },
  };
}

/** A new OpenSSH key pair made by ssh-keygen, and its key ID as ssh-keygen prints it. */
export function sshKeygen(directory: string, type: 'ed25519' | 'ecdsa' | 'rsa', name: string): { privateKeyFile: string; publicKeyFile: string; keyId: string } {
  const privateKeyFile = path.join(directory, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-C', `${name}@test`, '-f', privateKeyFile], { stdio: 'pipe' });
  const publicKeyFile = `${privateKeyFile}.pub`;
  const keyId = execFileSync('ssh-keygen', ['-lf', publicKeyFile], { encoding: 'utf8' }).split(' ')[1]!;
  return { privateKeyFile, publicKeyFile, keyId };
}
