import { describe, expect, it } from 'vitest';
import { encodeBase64 } from '../../encoding/base64';
import { detectSignatureFormat } from './detect-format';

const bytes = (text: string) => new TextEncoder().encode(text);
const json = (value: unknown) => bytes(JSON.stringify(value));
const payload = (value: unknown) => encodeBase64(json(value));

describe('detectSignatureFormat', () => {
  it('tells OMS from other Sigstore bundles by the DSSE payload’s predicate type', () => {
    const bundle = (predicateType: string) => ({
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      dsseEnvelope: { payloadType: 'application/vnd.in-toto+json', payload: payload({ _type: 'https://in-toto.io/Statement/v1', predicateType }), signatures: [] },
    });
    expect(detectSignatureFormat(json(bundle('https://model_signing/signature/v1.0')))).toEqual({ format: 'oms' });
    expect(detectSignatureFormat(json(bundle('https://slsa.dev/provenance/v1')))).toEqual({ format: 'sigstore' });
    expect(detectSignatureFormat(json({ mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1', messageSignature: {} }))).toEqual({ format: 'sigstore' });
    // A payload that cannot be read is still a Sigstore bundle: its verifier names the problem.
    expect(detectSignatureFormat(json({ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', dsseEnvelope: { payload: '***' } }))).toEqual({ format: 'sigstore' });
  });

  it('recognises DSSE, in-toto metadata and armored SSH signatures from their content alone', () => {
    expect(detectSignatureFormat(json({ payloadType: 'x', payload: '', signatures: [] }))).toEqual({ format: 'dsse' });
    expect(detectSignatureFormat(json({ signed: { _type: 'link' }, signatures: [] }))).toEqual({ format: 'in-toto' });
    expect(detectSignatureFormat(bytes('\n-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n'))).toEqual({ format: 'sshsig' });
  });

  it('names why anything else is not recognised, hostile JSON included', () => {
    expect(detectSignatureFormat(bytes('PK\u0003\u0004'))).toMatchObject({ format: null, reason: expect.stringContaining('neither JSON') });
    expect(detectSignatureFormat(bytes('{"payload": 1, "payload": 2}'))).toMatchObject({ format: null, reason: expect.stringMatching(/duplicate/i) });
    expect(detectSignatureFormat(json({ signed: {} }))).toMatchObject({ format: null, reason: expect.stringContaining('signed._type') });
    expect(detectSignatureFormat(json([1]))).toMatchObject({ format: null, reason: expect.stringContaining('not an object') });
  });
});
