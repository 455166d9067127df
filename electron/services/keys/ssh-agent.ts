import { createConnection } from 'node:net';
import { encodeBase64Unpadded } from '../../../shared/encoding/base64';
import { concatBytes } from '../../../shared/encoding/bytes';
import { DomainError } from '../../../shared/errors/domain-error';
import { checkPublicKey, SIGNATURE_LENGTH, verifyEd25519Strict } from '../../../shared/crypto/ed25519';
import { sha256 } from '../../../shared/crypto/hash';
import { toOpenSshLine } from '../../../shared/crypto/keys';

/** Signs a message (the DSSE PAE) with a key that stays wherever it is held; the signature is a plain 64-byte Ed25519 one. */
export interface AsyncSigner {
  keyId: string;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** The agent cannot be reached, does not hold the key, or holds it as another type than Ed25519. */
export class SshAgentError extends DomainError {
  constructor(code: 'not-found' | 'unreadable' | 'unsupported' | 'invalid-input', message: string) {
    super(code, message);
  }
}

/** Message numbers of the agent protocol (draft-miller-ssh-agent §3, §4). */
const SSH_AGENT_FAILURE = 5;
const SSH_AGENTC_REQUEST_IDENTITIES = 11;
const SSH_AGENT_IDENTITIES_ANSWER = 12;
const SSH_AGENTC_SIGN_REQUEST = 13;
const SSH_AGENT_SIGN_RESPONSE = 14;

const ED25519 = 'ssh-ed25519';
/** An agent's answer is a few keys or one signature; anything past this is not an agent speaking. */
const MAX_REPLY_BYTES = 256 * 1024;
/** A hardware token waits for a touch: generous, but not forever. */
const REPLY_TIMEOUT_MS = 120_000;

export interface AgentIdentity {
  /** The OpenSSH SHA256 fingerprint of the key blob (for Ed25519 keys, the Countersign key ID). */
  keyId: string;
  type: string;
  blob: Uint8Array;
  comment: string;
}

/** The socket the agent listens on: SSH_AUTH_SOCK, unless given. */
export function agentSocket(socketPath?: string): string {
  const socket = socketPath ?? process.env.SSH_AUTH_SOCK;
  if (socket === undefined || socket === '') throw new SshAgentError('not-found', 'No ssh-agent: SSH_AUTH_SOCK is not set (start one with eval "$(ssh-agent)" and ssh-add the key).');
  return socket;
}

/** The keys the agent holds (SSH_AGENTC_REQUEST_IDENTITIES). */
export async function listAgentIdentities(socketPath?: string): Promise<AgentIdentity[]> {
  const reply = new Reader(await request(agentSocket(socketPath), new Uint8Array([SSH_AGENTC_REQUEST_IDENTITIES])));
  const type = reply.byte();
  if (type !== SSH_AGENT_IDENTITIES_ANSWER) throw new SshAgentError('unreadable', `The ssh-agent answered the key list with message ${type}, not ${SSH_AGENT_IDENTITIES_ANSWER}.`);
  const count = reply.uint32();
  const identities: AgentIdentity[] = [];
  for (let index = 0; index < count; index++) {
    const blob = reply.string();
    const comment = new TextDecoder().decode(reply.string());
    const type = new TextDecoder().decode(new Reader(blob).string());
    identities.push({ keyId: `SHA256:${encodeBase64Unpadded(sha256(blob))}`, type, blob, comment });
  }
  return identities;
}

/**
 * A signer for the agent's Ed25519 key with this key ID. Refused before anything is signed: no
 * agent, a key the agent does not hold (the message lists those it does), a key of another type.
 * Each signature is checked against the key before it is returned: a misbehaving agent cannot
 * make a release carry a signature that does not verify.
 */
export async function sshAgentSigner(keyId: string, socketPath?: string): Promise<AsyncSigner & { publicKeyLine: string }> {
  const socket = agentSocket(socketPath);
  const identities = await listAgentIdentities(socket);
  const identity = identities.find((candidate) => candidate.keyId === keyId);
  if (identity === undefined) {
    const held = identities.map((candidate) => `${candidate.keyId} (${candidate.type}${candidate.comment ? ` ${candidate.comment}` : ''})`);
    throw new SshAgentError('not-found', `The ssh-agent does not hold key ${keyId}. It holds ${held.length === 0 ? 'no keys (ssh-add the key first)' : held.join(', ')}.`);
  }
  if (identity.type !== ED25519) throw new SshAgentError('unsupported', `Key ${keyId} in the ssh-agent is an ${identity.type} key: Countersign signs with Ed25519 keys only (FORMATS §2).`);
  const publicKey = ed25519PublicKey(identity.blob, keyId);
  const comment = identity.comment.replace(/[\r\n]/g, ' ').trim();
  return {
    keyId,
    /** The key as an OpenSSH public key line, for a bundle's keys/ (offered, untrusted until pinned). */
    publicKeyLine: toOpenSshLine(publicKey, comment === '' ? undefined : comment),
    async sign(message: Uint8Array): Promise<Uint8Array> {
      const reply = new Reader(await request(socket, concat([new Uint8Array([SSH_AGENTC_SIGN_REQUEST]), sshString(identity.blob), sshString(message), uint32(0)])));
      const type = reply.byte();
      if (type === SSH_AGENT_FAILURE) throw new SshAgentError('unreadable', `The ssh-agent refused to sign with ${keyId} (a confirmation declined, a token not touched, or the key removed).`);
      if (type !== SSH_AGENT_SIGN_RESPONSE) throw new SshAgentError('unreadable', `The ssh-agent answered the signing request with message ${type}, not ${SSH_AGENT_SIGN_RESPONSE}.`);
      const signatureBlob = new Reader(reply.string());
      const format = new TextDecoder().decode(signatureBlob.string());
      const signature = signatureBlob.string();
      if (format !== ED25519 || signature.length !== SIGNATURE_LENGTH) throw new SshAgentError('unreadable', `The ssh-agent returned a ${format} signature of ${signature.length} bytes, not a 64-byte ssh-ed25519 one.`);
      if (!verifyEd25519Strict(signature, message, publicKey)) throw new SshAgentError('unreadable', `The ssh-agent's signature does not verify under ${keyId}: nothing was signed.`);
      return signature;
    },
  };
}

function ed25519PublicKey(blob: Uint8Array, keyId: string): Uint8Array {
  const reader = new Reader(blob);
  reader.string();
  const key = reader.string();
  const problem = key.length === 32 ? checkPublicKey(key) : `it is ${key.length} bytes, not 32`;
  if (problem !== null || !reader.atEnd()) throw new SshAgentError('unsupported', `Key ${keyId} in the ssh-agent is not a usable Ed25519 key: ${problem ?? 'trailing bytes in its blob'}.`);
  return key;
}

/** One request, one reply, over a fresh connection: the agent answers each message in order. */
function request(socket: string, message: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const connection = createConnection(socket);
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const finish = (error: Error | null, reply?: Uint8Array) => {
      if (settled) return;
      settled = true;
      connection.destroy();
      if (error) reject(error);
      else resolve(reply!);
    };
    connection.setTimeout(REPLY_TIMEOUT_MS, () => finish(new SshAgentError('unreadable', `The ssh-agent at ${socket} did not answer within ${REPLY_TIMEOUT_MS / 1000} s.`)));
    connection.on('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'ENOENT' || error.code === 'ECONNREFUSED' ? 'no agent listens there' : error.message;
      finish(new SshAgentError('not-found', `Cannot reach the ssh-agent at ${socket} (SSH_AUTH_SOCK): ${reason}.`));
    });
    connection.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received < 4) return;
      const all = Buffer.concat(chunks);
      const length = all.readUInt32BE(0);
      if (length === 0 || length > MAX_REPLY_BYTES) return finish(new SshAgentError('unreadable', `The ssh-agent sent a reply of ${length} bytes: not an agent answer.`));
      if (all.length >= 4 + length) finish(null, new Uint8Array(all.subarray(4, 4 + length)));
    });
    connection.on('end', () => finish(new SshAgentError('unreadable', 'The ssh-agent closed the connection before answering.')));
    connection.write(concat([uint32(message.length), message]));
  });
}

class Reader {
  private offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  byte(): number {
    if (this.offset >= this.bytes.length) throw truncated();
    return this.bytes[this.offset++]!;
  }

  uint32(): number {
    if (this.offset + 4 > this.bytes.length) throw truncated();
    const value = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.offset, 4).getUint32(0);
    this.offset += 4;
    return value;
  }

  string(): Uint8Array {
    const length = this.uint32();
    if (this.offset + length > this.bytes.length) throw truncated();
    const value = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  atEnd(): boolean {
    return this.offset === this.bytes.length;
  }
}

function truncated(): SshAgentError {
  return new SshAgentError('unreadable', 'The ssh-agent sent a truncated message.');
}

function uint32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return bytes;
}

function sshString(value: Uint8Array): Uint8Array {
  return concat([uint32(value.length), value]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  return concatBytes(...parts);
}
