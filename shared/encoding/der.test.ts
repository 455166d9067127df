import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DER_TAG, derChildren, derContent, derEncoded, derOid, derSequence, derString, derTime, derUnsignedInteger, encodeDer, readDer } from './der';
import { EncodingError } from './encoding-error';

const work = mkdtempSync(join(tmpdir(), 'der-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function opensslCertificate(): Uint8Array {
  const key = join(work, 'ca.key');
  const pem = join(work, 'ca.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', pem, '-days', '2', '-subj', '/CN=Der Test CA/O=Countersign tests', '-set_serial', '4660'], { stdio: 'ignore' });
  return new Uint8Array(new X509Certificate(readFileSync(pem)).raw);
}

describe('readDer on a certificate openssl made', () => {
  const der = opensslCertificate();
  const certificate = new X509Certificate(Buffer.from(der));
  const [tbs, signatureAlgorithm, signature] = derSequence(readDer(der, 'certificate'), 'certificate');

  it('walks the structure: TBS, algorithm, signature, with the serial and validity openssl wrote', () => {
    expect(signature!.tag).toBe(DER_TAG.BIT_STRING);
    expect(derOid(derSequence(signatureAlgorithm!, 'algorithm')[0]!)).toBe('1.2.840.10045.4.3.2');
    const fields = derSequence(tbs!, 'tbs');
    expect(fields[0]!.tag).toBe(0xa0);
    expect(derUnsignedInteger(fields[1]!)).toBe(4660n);
    const [notBefore, notAfter] = derSequence(fields[4]!, 'validity');
    expect(derTime(notBefore!).toISOString()).toBe(new Date(certificate.validFrom).toISOString());
    expect(derTime(notAfter!).toISOString()).toBe(new Date(certificate.validTo).toISOString());
    const subjectNames = derSequence(fields[5]!, 'subject').map((set) => derSequence(derChildren(set)[0]!, 'attribute'));
    expect(subjectNames.map(([oid, value]) => [derOid(oid!), derString(value!)])).toEqual([
      ['2.5.4.3', 'Der Test CA'],
      ['2.5.4.10', 'Countersign tests'],
    ]);
  });

  it('derEncoded gives back the exact bytes of a part (what a signature over the TBS covers)', () => {
    const encoded = derEncoded(tbs!);
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(Buffer.from(der).indexOf(Buffer.from(encoded))).toBe(4);
    expect(readDer(encoded).end).toBe(encoded.length);
  });
});

describe('readDer refuses what is not DER', () => {
  const cases: [string, number[]][] = [
    ['truncated header', [0x30]],
    ['a length beyond the input', [0x04, 0x05, 0x01]],
    ['indefinite length', [0x30, 0x80, 0x00, 0x00]],
    ['non-minimal long length', [0x04, 0x81, 0x05, 1, 2, 3, 4, 5]],
    ['leading zero in the length', [0x04, 0x82, 0x00, 0x85, ...new Array<number>(0x85).fill(0)]],
    ['trailing bytes', [0x05, 0x00, 0x00]],
    ['high tag number', [0x1f, 0x81, 0x00, 0x00]],
    ['a child overrunning its parent', [0x30, 0x03, 0x04, 0x05, 0x00]],
  ];
  for (const [name, bytes] of cases) {
    it(name, () => {
      const parse = () => {
        const node = readDer(Uint8Array.from(bytes));
        if (node.tag & 0x20) derChildren(node);
      };
      expect(parse).toThrow(EncodingError);
    });
  }

  it('nesting deeper than the bound', () => {
    let value: Uint8Array = encodeDer(DER_TAG.NULL, new Uint8Array());
    for (let depth = 0; depth < 40; depth++) value = encodeDer(DER_TAG.SEQUENCE, value);
    let node = readDer(value);
    expect(() => {
      for (;;) node = derChildren(node)[0]!;
    }).toThrow(/nested deeper/);
  });

  it('non-minimal and negative integers, bad OIDs and impossible times', () => {
    expect(() => derUnsignedInteger(readDer(Uint8Array.from([0x02, 0x02, 0x00, 0x01])))).toThrow(/non-minimal/);
    expect(() => derUnsignedInteger(readDer(Uint8Array.from([0x02, 0x01, 0x80])))).toThrow(/negative/);
    expect(derUnsignedInteger(readDer(Uint8Array.from([0x02, 0x02, 0x00, 0x80])))).toBe(128n);
    expect(() => derOid(readDer(Uint8Array.from([0x06, 0x02, 0x2a, 0x86])))).toThrow(/truncated arc/);
    expect(() => derOid(readDer(Uint8Array.from([0x06, 0x02, 0x80, 0x01])))).toThrow(/non-minimal/);
    const time = (text: string, tag: number) => derTime(readDer(encodeDer(tag, new TextEncoder().encode(text))));
    expect(() => time('20260230120000Z', DER_TAG.GENERALIZED_TIME)).toThrow(/impossible date/);
    expect(() => time('2026010112Z', DER_TAG.GENERALIZED_TIME)).toThrow(/not a DER time/);
    expect(time('20261202031500.25Z', DER_TAG.GENERALIZED_TIME).toISOString()).toBe('2026-12-02T03:15:00.250Z');
    expect(time('491231235959Z', DER_TAG.UTC_TIME).toISOString()).toBe('2049-12-31T23:59:59.000Z');
    expect(time('500101000000Z', DER_TAG.UTC_TIME).toISOString()).toBe('1950-01-01T00:00:00.000Z');
  });
});

describe('encodeDer', () => {
  it('round-trips short and long lengths', () => {
    for (const size of [0, 1, 127, 128, 255, 256, 70_000]) {
      const content = new Uint8Array(size).fill(7);
      const node = readDer(encodeDer(DER_TAG.OCTET_STRING, content));
      expect(derContent(node)).toEqual(content);
    }
  });
});
