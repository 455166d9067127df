import { describe, expect, it } from 'vitest';
import { publicKeyFromSeed } from '../crypto/ed25519';
import { decodeBase64Strict } from '../encoding/base64';
import { formatCheckpoint, parseCheckpoint } from './checkpoint';
import { checkNoteSignatures, cosign, signNote } from './cosignature';
import { leafHash, rootOf } from './merkle';
import { NOTE_ED25519, formatSignedNote, formatVerifierKey, noteKeyId, parseSignedNote, parseVerifierKey } from './signed-note';

// The example key pair and note of Go's golang.org/x/mod/sumdb/note, which every signed-note
// implementation reproduces (values only).
const VERIFIER_KEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const SIGNER_KEY_MATERIAL = 'AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const NOTE = `${TEXT}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const seed = decodeBase64Strict(SIGNER_KEY_MATERIAL, 'skey').slice(1);

describe('C2SP signed notes', () => {
  it('reproduces the reference note byte for byte and verifies it', () => {
    const key = parseVerifierKey(VERIFIER_KEY);
    expect(key).toMatchObject({ keyName: 'PeterNeumann', keyId: 0xc74f20a3, signatureType: NOTE_ED25519 });
    expect(publicKeyFromSeed(seed)).toEqual(key.publicKey);
    expect(formatVerifierKey(key)).toBe(VERIFIER_KEY);
    const signed = formatSignedNote({ text: TEXT, signatures: [signNote(TEXT, 'PeterNeumann', seed, key.publicKey)] });
    expect(signed).toBe(NOTE);
    const parsed = parseSignedNote(encode(NOTE));
    expect(parsed.text).toBe(TEXT);
    expect(checkNoteSignatures(parsed, [key], [])).toEqual([{ status: 'valid', key, timestamp: null }]);
  });

  it('refuses an edited text, and ignores a signature whose name or key ID is not a known key', () => {
    const key = parseVerifierKey(VERIFIER_KEY);
    const edited = parseSignedNote(encode(NOTE.replace('cryptography', 'cryptographY')));
    expect(checkNoteSignatures(edited, [key], [])[0]?.status).toBe('invalid');
    const renamed = parseSignedNote(encode(NOTE.replace('PeterNeumann x08', 'PeterNeumann2 x08')));
    expect(checkNoteSignatures(renamed, [key], [])[0]).toEqual({ status: 'unknown-key', keyName: 'PeterNeumann2' });
  });

  it('refuses malformed notes and keys with the reason', () => {
    const bad: [string, RegExp][] = [
      [TEXT, /no blank line/],
      [`${TEXT}\n`, /no signature|does not start/],
      [NOTE.slice(0, -1), /does not end with a newline/],
      [NOTE.replace('you', 'y\u0007u'), /control character/],
      [NOTE.replace('\u2014 ', '- '), /does not start with/],
      [NOTE.replace('x08go', 'x08g o'), /not|base64/i],
      [`${TEXT}\n\u2014 Peter AAAA\n`, /too short/],
    ];
    for (const [text, reason] of bad) expect(() => parseSignedNote(encode(text)), text).toThrow(reason);
    expect(() => parseSignedNote(new Uint8Array([0xff, 0x0a]))).toThrow(/UTF-8/);
    expect(() => parseVerifierKey(VERIFIER_KEY.replace('c74f20a3', 'c74f20a4'))).toThrow(/does not match/);
    expect(() => parseVerifierKey('Peter Neumann+c74f20a3+AAAA')).toThrow();
  });
});

describe('checkpoints and cosignatures', () => {
  const leaves = Array.from({ length: 5 }, (_, i) => leafHash(encode(`object ${i}`)));
  const checkpoint = { origin: 'countersign.dev/board/test', size: 5, rootHash: rootOf(leaves), extensions: [] };

  it('round-trips a checkpoint body and refuses a malformed one', () => {
    const text = formatCheckpoint(checkpoint);
    expect(parseCheckpoint(text)).toEqual(checkpoint);
    expect(() => parseCheckpoint(text.replace('\n5\n', '\n05\n'))).toThrow(/leading zeroes/);
    expect(() => parseCheckpoint('origin\n5\n')).toThrow(/three lines/);
    expect(() => parseCheckpoint(text.replace(/\n[^\n]+\n$/, '\nAAAA\n'))).toThrow(/not 32/);
  });

  it('verifies a signer and a cosigner by name and key ID, with the cosigner\'s timestamp', () => {
    const text = formatCheckpoint(checkpoint);
    const logSeed = seed;
    const logKey = { keyName: 'countersign.dev/log/ada', publicKey: publicKeyFromSeed(logSeed) };
    const witnessSeed = new Uint8Array(32).fill(7);
    const witness = { keyName: 'countersign.dev/witness/alan', publicKey: publicKeyFromSeed(witnessSeed) };
    const note = formatSignedNote({
      text,
      signatures: [signNote(text, logKey.keyName, logSeed, logKey.publicKey), cosign(text, 1_764_633_600, witness.keyName, witnessSeed, witness.publicKey)],
    });
    const checks = checkNoteSignatures(parseSignedNote(encode(note)), [logKey], [witness]);
    expect(checks.map((check) => check.status)).toEqual(['valid', 'valid']);
    expect(checks[1]).toMatchObject({ timestamp: 1_764_633_600 });
    // A cosignature does not pass as the log's own signature: the key ID carries the type.
    expect(checkNoteSignatures(parseSignedNote(encode(note)), [witness], [])[1]?.status).toBe('unknown-key');
    expect(noteKeyId(witness.keyName, 0x04, witness.publicKey)).not.toBe(noteKeyId(witness.keyName, 0x01, witness.publicKey));
    // A cosignature over another tree size does not verify for this one.
    const other = formatCheckpoint({ ...checkpoint, size: 4, rootHash: rootOf(leaves.slice(0, 4)) });
    const moved = formatSignedNote({ text: other, signatures: [cosign(text, 1_764_633_600, witness.keyName, witnessSeed, witness.publicKey)] });
    expect(checkNoteSignatures(parseSignedNote(encode(moved)), [], [witness])[0]?.status).toBe('invalid');
  });
});
