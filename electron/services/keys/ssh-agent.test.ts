import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createPublicKey, verify } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pae } from '../../../shared/crypto/dsse';
import { IN_TOTO_PAYLOAD_TYPE } from '../../../shared/verify/check-manifest';
import { listAgentIdentities, sshAgentSigner } from './ssh-agent';
import { sshKeygen, startTestAgent, type TestAgent } from './test-ssh-agent';

let work: string;
let agent: TestAgent;
let ed25519: ReturnType<typeof sshKeygen>;
let ecdsa: ReturnType<typeof sshKeygen>;
beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-ssh-agent-'));
  agent = await startTestAgent(work);
  ed25519 = sshKeygen(work, 'ed25519', 'release-ci');
  ecdsa = sshKeygen(work, 'ecdsa', 'legacy');
  agent.add(ed25519.privateKeyFile);
  agent.add(ecdsa.privateKeyFile);
});
afterAll(async () => {
  await agent.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

/** The public key as OpenSSL reads it, taken from the .pub file ssh-keygen wrote (its blob ends with the 32 key bytes), not by Countersign. */
function opensslPublicKey(publicKeyFile: string) {
  const blob = Buffer.from(fs.readFileSync(publicKeyFile, 'utf8').split(' ')[1]!, 'base64');
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), blob.subarray(blob.length - 32)]);
  return createPublicKey({ key: spki, format: 'der', type: 'spki' });
}

describe('ssh-agent client', () => {
  it('lists the agent keys with the fingerprints ssh-keygen prints', async () => {
    const identities = await listAgentIdentities(agent.socket);
    expect(identities.map((identity) => [identity.keyId, identity.type, identity.comment])).toEqual([
      [ed25519.keyId, 'ssh-ed25519', 'release-ci@test'],
      [ecdsa.keyId, 'ecdsa-sha2-nistp256', 'legacy@test'],
    ]);
  });

  it('signs the DSSE PAE with a plain Ed25519 signature that OpenSSL verifies', async () => {
    const signer = await sshAgentSigner(ed25519.keyId, agent.socket);
    const message = pae(IN_TOTO_PAYLOAD_TYPE, new TextEncoder().encode('{"_type":"https://in-toto.io/Statement/v1"}'));
    const signature = await signer.sign(message);
    expect(signature.length).toBe(64);
    expect(signer.publicKeyLine).toBe(fs.readFileSync(ed25519.publicKeyFile, 'utf8').trim());
    expect(verify(null, message, opensslPublicKey(ed25519.publicKeyFile), signature)).toBe(true);
    expect(verify(null, new TextEncoder().encode('another message'), opensslPublicKey(ed25519.publicKeyFile), signature)).toBe(false);
  });

  it('refuses a key that is not Ed25519, and a key the agent does not hold, naming the keys it holds', async () => {
    await expect(sshAgentSigner(ecdsa.keyId, agent.socket)).rejects.toThrow(/is an ecdsa-sha2-nistp256 key: Countersign signs with Ed25519 keys only/);
    const absent = sshKeygen(work, 'ed25519', 'not-added');
    const refusal = sshAgentSigner(absent.keyId, agent.socket);
    await expect(refusal).rejects.toMatchObject({ code: 'not-found' });
    await expect(refusal).rejects.toThrow(new RegExp(`does not hold key ${absent.keyId.replace(/[+/]/g, '\\$&')}.*${ed25519.keyId.replace(/[+/]/g, '\\$&')}`));
  });

  it('says so when the agent drops the key between listing and signing', async () => {
    const removable = sshKeygen(work, 'ed25519', 'removable');
    agent.add(removable.privateKeyFile);
    const signer = await sshAgentSigner(removable.keyId, agent.socket);
    execFileSync('ssh-add', ['-d', removable.publicKeyFile], { env: { ...process.env, SSH_AUTH_SOCK: agent.socket }, stdio: 'pipe' });
    await expect(signer.sign(new Uint8Array([1, 2, 3]))).rejects.toThrow(/refused to sign/);
  });

  it('refuses when no agent listens, and when SSH_AUTH_SOCK is unset', async () => {
    await expect(listAgentIdentities(path.join(work, 'nobody.sock'))).rejects.toThrow(/Cannot reach the ssh-agent.*no agent listens there/);
    const saved = process.env.SSH_AUTH_SOCK;
    delete process.env.SSH_AUTH_SOCK;
    try {
      await expect(sshAgentSigner(ed25519.keyId)).rejects.toThrow(/SSH_AUTH_SOCK is not set/);
    } finally {
      if (saved !== undefined) process.env.SSH_AUTH_SOCK = saved;
    }
  });

  it('refuses a signature that does not verify, from an agent that answers with a wrong one', async () => {
    const socket = path.join(work, 'lying.sock');
    const real = await listAgentIdentities(agent.socket);
    const blob = real.find((identity) => identity.keyId === ed25519.keyId)!.blob;
    const frame = (body: Buffer) => Buffer.concat([u32(body.length), body]);
    const server = net.createServer((connection) => {
      connection.once('data', (data) => {
        const type = data[4];
        if (type === 11) connection.end(frame(Buffer.concat([Buffer.from([12]), u32(1), str(Buffer.from(blob)), str(Buffer.from('liar'))])));
        else connection.end(frame(Buffer.concat([Buffer.from([14]), str(Buffer.concat([str(Buffer.from('ssh-ed25519')), str(Buffer.alloc(64, 7))]))])));
      });
    });
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      const signer = await sshAgentSigner(ed25519.keyId, socket);
      await expect(signer.sign(new Uint8Array([1]))).rejects.toThrow(/does not verify under/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);
  return buffer;
}

function str(value: Buffer): Buffer {
  return Buffer.concat([u32(value.length), value]);
}
