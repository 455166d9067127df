import { describe, expect, it } from 'vitest';
import { encodeBase64 } from '../encoding/base64';
import { FormatError } from '../formats/format-error';
import { parseEnvelope, pae, readEnvelope, serializeEnvelope, signEnvelope, verifyEnvelopeSignature } from './dsse';
import { parseStrictJson } from '../json/strict-json';
import { generateSeed, publicKeyFromSeed } from './ed25519';
import { keyIdOf } from './keys';

const utf8 = (text: string) => new TextEncoder().encode(text);
const IN_TOTO = 'application/vnd.in-toto+json';

function newSigner() {
  const seed = generateSeed();
  const publicKey = publicKeyFromSeed(seed);
  return { seed, publicKey, keyId: keyIdOf(publicKey) };
}

/** The envelope as a reader receives it: JSON text, parsed, then checked. */
function roundTrip(envelopeJson: string) {
  // eslint-disable-next-line no-restricted-syntax -- test-made JSON
  return parseEnvelope(JSON.parse(envelopeJson));
}

function formatErrorOf(action: () => unknown): FormatError {
  try {
    action();
  } catch (error) {
    if (error instanceof FormatError) return error;
    throw error;
  }
  throw new Error('expected a FormatError');
}

describe('pae', () => {
  it('matches the DSSE specification test vector', () => {
    const encoded = pae('http://example.com/HelloWorld', utf8('hello world'));
    expect(new TextDecoder().decode(encoded)).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('gives the same bytes for a parsed payload (decoded after room for its header) as for a copy, and never reads a foreign header', () => {
    for (const text of ['{"a":1}', '', 'é'.repeat(70)]) {
      const parsed = parseEnvelope({ payloadType: IN_TOTO, payload: encodeBase64(utf8(text)), signatures: [{ sig: encodeBase64(new Uint8Array(64)) }] });
      expect(pae(IN_TOTO, parsed.payload)).toEqual(pae(IN_TOTO, new Uint8Array(parsed.payload)));
      expect(new TextDecoder().decode(pae('other/type', parsed.payload))).toBe(`DSSEv1 10 other/type ${utf8(text).length} ${text}`);
    }
    const laidOut = utf8('DSSEv1 1 x 2 hi');
    expect(new TextDecoder().decode(pae('y', laidOut.subarray(13)))).toBe('DSSEv1 1 y 2 hi');
  });

  it('gives each payload type its own header, past the number of headers kept and interleaved', () => {
    const types = Array.from({ length: 40 }, (_, i) => `type/${'é'.repeat(i % 3)}${i}`);
    for (const round of [0, 1]) {
      for (const type of round === 0 ? types : [...types].reverse()) {
        const payload = utf8(`p${type}`);
        const typeBytes = utf8(type).length;
        expect(new TextDecoder().decode(pae(type, payload))).toBe(`DSSEv1 ${typeBytes} ${type} ${payload.length} p${type}`);
      }
    }
  });

  it('counts bytes, not characters, and keeps payload bytes as they are', () => {
    const payload = new Uint8Array([0xff, 0x00, 0x20]);
    const encoded = pae('type/é', payload);
    expect(Array.from(encoded)).toEqual([...utf8('DSSEv1 7 type/é 3 '), 0xff, 0x00, 0x20]);
    expect(new TextDecoder().decode(pae('', new Uint8Array()))).toBe('DSSEv1 0  0 ');
  });
});

describe('signing and verifying envelopes', () => {
  const payload = utf8('{"_type":"https://in-toto.io/Statement/v1"}');

  it('verifies what it signed, after serializing and parsing', () => {
    const author = newSigner();
    const json = serializeEnvelope(signEnvelope(IN_TOTO, payload, [author]));
    expect(json).toBe(
      `{"payloadType":"${IN_TOTO}","payload":"${encodeBase64(payload)}","signatures":[{"keyid":"${author.keyId}","sig":"${encodeBase64(signEnvelope(IN_TOTO, payload, [author]).signatures[0]!.sig)}"}]}`,
    );
    const envelope = roundTrip(json);
    expect(envelope.payload).toEqual(payload);
    expect(envelope.signatures[0]!.keyid).toBe(author.keyId);
    expect(envelope.unknownFields).toEqual([]);
    expect(verifyEnvelopeSignature(envelope, 0, author.publicKey)).toBe(true);
  });

  it('fails for a tampered payload or payload type', () => {
    const author = newSigner();
    const envelope = signEnvelope(IN_TOTO, payload, [author]);
    const tamperedPayload = payload.slice();
    tamperedPayload[tamperedPayload.length - 2]! ^= 0x01;
    expect(verifyEnvelopeSignature({ ...envelope, payload: tamperedPayload }, 0, author.publicKey)).toBe(false);
    expect(verifyEnvelopeSignature({ ...envelope, payloadType: 'application/json' }, 0, author.publicKey)).toBe(false);
  });

  it('counts a signature only under the key that made it, whatever its keyid says', () => {
    const trusted = newSigner();
    const stranger = newSigner();
    const envelope = signEnvelope(IN_TOTO, payload, [trusted, { keyId: trusted.keyId, seed: stranger.seed }]);
    expect(verifyEnvelopeSignature(envelope, 0, trusted.publicKey)).toBe(true);
    expect(verifyEnvelopeSignature(envelope, 1, trusted.publicKey)).toBe(false);
    expect(verifyEnvelopeSignature(envelope, 1, stranger.publicKey)).toBe(true);
    expect(() => verifyEnvelopeSignature(envelope, 2, trusted.publicKey)).toThrow(RangeError);
  });
});

describe('parseEnvelope', () => {
  const sig = encodeBase64(new Uint8Array(64).fill(7));
  const valid = () => ({ payloadType: IN_TOTO, payload: 'aGVsbG8=', signatures: [{ keyid: '', sig }] as unknown[] });

  it('accepts URL-safe unpadded base64 and an empty keyid', () => {
    const envelope = parseEnvelope({ ...valid(), payload: '-_8', signatures: [{ keyid: '', sig: sig.replace(/=+$/, '') }] });
    expect(envelope.payload).toEqual(new Uint8Array([0xfb, 0xff]));
    expect(envelope.signatures[0]!.sig).toEqual(new Uint8Array(64).fill(7));
  });

  it('reads a signature without keyid as keyid "" (DSSE makes keyid optional), and it still verifies', () => {
    const author = newSigner();
    const signed = signEnvelope(IN_TOTO, utf8('{}'), [author]);
    const envelope = parseEnvelope({ payloadType: IN_TOTO, payload: encodeBase64(signed.payload), signatures: [{ sig: encodeBase64(signed.signatures[0]!.sig) }] });
    expect(envelope.signatures[0]!.keyid).toBe('');
    expect(envelope.unknownFields).toEqual([]);
    expect(verifyEnvelopeSignature(envelope, 0, author.publicKey)).toBe(true);
  });

  it('reports unknown fields at both levels by path', () => {
    const envelope = parseEnvelope({ ...valid(), note: 'x', signatures: [{ keyid: '', sig, 'cert-chain': [] }] });
    expect(envelope.unknownFields).toEqual(['$.note', '$.signatures[0]["cert-chain"]']);
  });

  it.each([
    ['a signature of the wrong length', { signatures: [{ keyid: '', sig }, { keyid: '', sig: encodeBase64(new Uint8Array(63)) }] }, '$.signatures[1].sig', /64 bytes, this one decodes to 63/],
    ['a signature in non-canonical base64', { signatures: [{ keyid: '', sig: `${sig}\n` }] }, '$.signatures[0].sig', /not valid base64 \(unexpected character U\+000A/],
    ['a payload in non-canonical base64', { payload: 'aGVsbG9=' }, '$.payload', /non-zero trailing bits/],
    ['a missing payload', { payload: undefined }, '$.payload', /required field is missing/],
    ['a numeric payloadType', { payloadType: 3 }, '$.payloadType', /expected a string, found a number/],
    ['a keyid that is not a string', { signatures: [{ keyid: null, sig }] }, '$.signatures[0].keyid', /expected a string, found null/],
    ['no signatures', { signatures: [] }, '$.signatures', /at least one signature/],
    ['signatures that are not an array', { signatures: { keyid: '', sig } }, '$.signatures', /expected an array, found an object/],
    ['a signature that is not an object', { signatures: [sig] }, '$.signatures[0]', /expected a signature object/],
  ])('rejects %s, naming its path', (_label, change, path, reason) => {
    const document: Record<string, unknown> = { ...valid(), ...change };
    if (document['payload'] === undefined) delete document['payload'];
    const error = formatErrorOf(() => parseEnvelope(document));
    expect(error.path).toBe(path);
    expect(error.reason).toMatch(reason);
  });

  it('rejects a document that is not an object', () => {
    expect(formatErrorOf(() => parseEnvelope([])).message).toBe('$: expected a DSSE envelope (a JSON object), found an array');
  });
});

describe('readEnvelope: large payloads read from the bytes', () => {
  const signer = newSigner();
  const payload = new Uint8Array(200_000).map((_, i) => (i * 7919) % 251);
  const envelope = signEnvelope(IN_TOTO, payload, [{ keyId: signer.keyId, seed: signer.seed }]);
  const payloadText = encodeBase64(payload);
  const sig = encodeBase64(envelope.signatures[0]!.sig);
  const otherText = encodeBase64(payload.slice().reverse());
  const MAX = 4 * 1024 * 1024;

  /** The plain reading: strict JSON of the whole text, then the envelope's shape. */
  function plainRead(bytes: Uint8Array) {
    return parseEnvelope(parseStrictJson(bytes, { maxBytes: MAX }));
  }

  function outcome(read: () => ReturnType<typeof parseEnvelope>): unknown {
    try {
      const result = read();
      return { payloadType: result.payloadType, payload: Array.from(result.payload.subarray(0, 16)), payloadLength: result.payload.length, signatures: result.signatures, unknownFields: result.unknownFields, verifies: verifyEnvelopeSignature(result, 0, signer.publicKey) };
    } catch (error) {
      return { error: error instanceof FormatError ? `${error.path}: ${error.reason}` : String(error) };
    }
  }

  const variants: Record<string, string> = {
    canonical: serializeEnvelope(envelope),
    'pretty-printed, payload last': JSON.stringify({ signatures: [{ keyid: signer.keyId, sig }], payloadType: IN_TOTO, payload: payloadText }, null, 2),
    'URL-safe alphabet, unpadded': JSON.stringify({ payloadType: IN_TOTO, payload: payloadText.replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, ''), signatures: [{ keyid: signer.keyId, sig }] }),
    'the key spelt with an escape': `{"payloadType":"${IN_TOTO}","p\\u0061yload":"${payloadText}","signatures":[{"keyid":"${signer.keyId}","sig":"${sig}"}]}`,
    'a payload character spelt with an escape': `{"payloadType":"${IN_TOTO}","payload":"\\u00${payloadText.charCodeAt(0).toString(16)}${payloadText.slice(1)}","signatures":[{"sig":"${sig}"}]}`,
    'a long "payload" nested in an unknown field': `{"x":{"payload":"${otherText}"},"payloadType":"${IN_TOTO}","payload":"${payloadText}","signatures":[{"sig":"${sig}"}]}`,
    'a long "payload" only nested': `{"x":{"payload":"${otherText}"},"payloadType":"${IN_TOTO}","signatures":[{"sig":"${sig}"}]}`,
    'the payload key repeated': `{"payloadType":"${IN_TOTO}","payload":"${payloadText}","payload":"${payloadText}","signatures":[{"sig":"${sig}"}]}`,
    'the payload key repeated, escaped': `{"payloadType":"${IN_TOTO}","payload":"${payloadText}","p\\u0061yload":"AAAA","signatures":[{"sig":"${sig}"}]}`,
    'an escaped quote before the payload': `{"note":"say \\"payload\\": ","payloadType":"${IN_TOTO}","payload":"${payloadText}","signatures":[{"sig":"${sig}"}]}`,
    'a string that looks like the key': `{"note":"\\"payload\\":\\"${payloadText}\\"","payloadType":"${IN_TOTO}","payload":"AAAA","signatures":[{"sig":"${sig}"}]}`,
    'a long string before the payload': `{"x":"${otherText}","payloadType":"${IN_TOTO}","payload":"${payloadText}","signatures":[{"sig":"${sig}"}]}`,
    'whitespace inside the payload': JSON.stringify({ payloadType: IN_TOTO, payload: `${payloadText.slice(0, 4000)} ${payloadText.slice(4000)}`, signatures: [{ sig }] }),
    'non-canonical trailing bits': JSON.stringify({ payloadType: IN_TOTO, payload: payloadText.replace(/.==$/, (last) => `${last[0] === 'A' ? 'B' : 'A'}==`).replace(/^(.*)(.)(=*)$/, (_, body: string, c: string, pad: string) => `${body}${String.fromCharCode(c.charCodeAt(0) + 1)}${pad}`), signatures: [{ sig }] }),
    'mixed alphabets': JSON.stringify({ payloadType: IN_TOTO, payload: `-${payloadText.slice(1)}`.replace('/', '_').replace('+', '/'), signatures: [{ sig }] }),
    'padding in the middle': JSON.stringify({ payloadType: IN_TOTO, payload: `${payloadText.slice(0, 8000)}==${payloadText.slice(8002)}`, signatures: [{ sig }] }),
    'a trailing comma': `${serializeEnvelope(envelope).slice(0, -1)},}`,
    'an unterminated payload': `{"payloadType":"${IN_TOTO}","payload":"${payloadText}`,
    'a top-level array': `["payload":"${payloadText}"]`,
    'the payload is not the value of a member': `{"payloadType":"${IN_TOTO}","signatures":[{"sig":"${sig}"}],"payload" "${payloadText}"}`,
    'a byte-order mark': `\ufeff${serializeEnvelope(envelope)}`,
    'a wrong payloadType type': `{"payloadType":7,"payload":"${payloadText}","signatures":[{"sig":"${sig}"}]}`,
    'no signatures': `{"payloadType":"${IN_TOTO}","payload":"${payloadText}","signatures":[]}`,
    'a control character after the payload': `{"payloadType":"${IN_TOTO}","payload":"${payloadText}","signatures":[{"sig":"${sig}","k":"\u0001"}]}`,
  };

  for (const [name, text] of Object.entries(variants)) {
    it(`answers as the plain reading does: ${name}`, () => {
      const bytes = utf8(text);
      expect(bytes.length).toBeGreaterThan(64 * 1024);
      expect(outcome(() => readEnvelope(bytes, MAX))).toEqual(outcome(() => plainRead(bytes)));
    });
  }

  it('reads a valid large envelope, verifiable, with its unknown fields', () => {
    const read = readEnvelope(utf8(variants['a long "payload" nested in an unknown field']!), MAX);
    expect(read.payload).toEqual(payload);
    expect(read.unknownFields).toEqual(['$.x']);
    expect(verifyEnvelopeSignature(read, 0, signer.publicKey)).toBe(true);
  });

  it('refuses a payload with a non-base64 byte (invalid UTF-8) as the plain reading does', () => {
    const bytes = utf8(serializeEnvelope(envelope));
    const at = bytes.indexOf(0x22, bytes.indexOf(utf8('"payload"')[1]!) + 9) + 5000;
    bytes[at] = 0xff;
    expect(() => readEnvelope(bytes, MAX)).toThrow(/not valid UTF-8/);
  });

  it('refuses an envelope over the cap before reading it', () => {
    const bytes = utf8(serializeEnvelope(envelope));
    expect(() => readEnvelope(bytes, bytes.length - 1)).toThrow(/more than the limit/);
  });
});
