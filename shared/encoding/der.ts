// A strict DER reader (ITU-T X.690) for the structures Countersign takes apart itself: X.509
// extensions (SCTs, Fulcio's OIDC issuer), RFC 3161 timestamps and the CMS around them. Input is
// hostile: every length is checked against what remains, indefinite and non-minimal lengths are
// refused, and nesting is bounded, so a reader never looks outside the bytes it was given.
import { EncodingError } from './encoding-error';

export const DER_TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

const MAX_DEPTH = 32;

/** One TLV inside `bytes`: the header starts at `start`, the contents span `contentStart`..`end`. */
export interface DerNode {
  readonly bytes: Uint8Array;
  /** The identifier octet as written: class, constructed bit and tag number (low-tag form only). */
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
  readonly depth: number;
}

/** Reads exactly one TLV that fills `bytes` (trailing bytes are refused). */
export function readDer(bytes: Uint8Array, what = 'DER'): DerNode {
  const node = readNodeAt(bytes, 0, bytes.length, 0, what);
  if (node.end !== bytes.length) throw invalid(what, `${bytes.length - node.end} trailing bytes after the value`);
  return node;
}

/** The TLVs inside a constructed node, in order. */
export function derChildren(node: DerNode, what = 'DER'): DerNode[] {
  if ((node.tag & 0x20) === 0) throw invalid(what, `tag 0x${node.tag.toString(16)} is not constructed`);
  const children: DerNode[] = [];
  let offset = node.contentStart;
  while (offset < node.end) {
    const child = readNodeAt(node.bytes, offset, node.end, node.depth + 1, what);
    children.push(child);
    offset = child.end;
  }
  return children;
}

/** The node's contents (a view, not a copy). */
export function derContent(node: DerNode): Uint8Array {
  return node.bytes.subarray(node.contentStart, node.end);
}

/** The node's whole encoding, header included (a view): what a signature over a TBS structure covers. */
export function derEncoded(node: DerNode): Uint8Array {
  return node.bytes.subarray(node.start, node.end);
}

export function expectTag(node: DerNode, tag: number, what: string): DerNode {
  if (node.tag !== tag) throw invalid(what, `expected tag 0x${tag.toString(16)}, found 0x${node.tag.toString(16)}`);
  return node;
}

/** Children of a SEQUENCE (or SET), checked to be one. */
export function derSequence(node: DerNode, what: string, tag: number = DER_TAG.SEQUENCE): DerNode[] {
  return derChildren(expectTag(node, tag, what), what);
}

/** Dotted-decimal form of an OBJECT IDENTIFIER. */
export function derOid(node: DerNode, what = 'OID'): string {
  const content = derContent(expectTag(node, DER_TAG.OID, what));
  if (content.length === 0) throw invalid(what, `empty object identifier`);
  const arcs: number[] = [];
  let value = 0;
  let started = false;
  for (const byte of content) {
    if (!started && byte === 0x80) throw invalid(what, `non-minimal arc encoding`);
    started = true;
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw invalid(what, `arc too large`);
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0;
      started = false;
    }
  }
  if (started) throw invalid(what, `truncated arc`);
  const first = arcs[0]!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join('.');
}

/** A non-negative INTEGER as a bigint (serial numbers, nonces, versions). */
export function derUnsignedInteger(node: DerNode, what = 'INTEGER'): bigint {
  const content = derContent(expectTag(node, DER_TAG.INTEGER, what));
  if (content.length === 0) throw invalid(what, `empty integer`);
  if (content.length > 1 && content[0] === 0x00 && (content[1]! & 0x80) === 0) throw invalid(what, `non-minimal integer`);
  if (content.length > 1 && content[0] === 0xff && (content[1]! & 0x80) !== 0) throw invalid(what, `non-minimal integer`);
  if ((content[0]! & 0x80) !== 0) throw invalid(what, `negative integer`);
  let value = 0n;
  for (const byte of content) value = (value << 8n) | BigInt(byte);
  return value;
}

/** UTCTime or GeneralizedTime (DER forms: `Z`, seconds present; GeneralizedTime may carry a fraction). */
export function derTime(node: DerNode, what = 'time'): Date {
  const text = derString(node, what, [DER_TAG.UTC_TIME, DER_TAG.GENERALIZED_TIME]);
  const match =
    node.tag === DER_TAG.UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d*[1-9])?Z$/.exec(text);
  if (!match) throw invalid(what, `${JSON.stringify(text.slice(0, 40))} is not a DER time`);
  let year = Number(match[1]);
  if (node.tag === DER_TAG.UTC_TIME) year += year >= 50 ? 1900 : 2000;
  const milliseconds = match[7] ? Math.floor(Number(`0${match[7]}`) * 1000) : 0;
  const time = Date.UTC(year, Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6]), milliseconds);
  const date = new Date(time);
  if (Number.isNaN(time) || date.getUTCMonth() !== Number(match[2]) - 1 || date.getUTCDate() !== Number(match[3])) throw invalid(what, `impossible date ${text}`);
  return date;
}

/** The text of a string-typed node (UTF8String, PrintableString, IA5String, or the tags given). */
export function derString(node: DerNode, what = 'string', tags: readonly number[] = [DER_TAG.UTF8_STRING, DER_TAG.PRINTABLE_STRING, DER_TAG.IA5_STRING]): string {
  if (!tags.includes(node.tag)) throw invalid(what, `tag 0x${node.tag.toString(16)} is not a string type expected here`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(derContent(node));
  } catch {
    throw invalid(what, `not valid UTF-8`);
  }
}

/** Encodes one TLV (low tag numbers; definite, minimal length). */
export function encodeDer(tag: number, content: Uint8Array): Uint8Array {
  const length = content.length;
  const lengthBytes: number[] = [];
  if (length < 0x80) lengthBytes.push(length);
  else {
    const octets: number[] = [];
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest & 0xff);
    lengthBytes.push(0x80 | octets.length, ...octets);
  }
  const out = new Uint8Array(1 + lengthBytes.length + length);
  out[0] = tag;
  out.set(lengthBytes, 1);
  out.set(content, 1 + lengthBytes.length);
  return out;
}

function invalid(what: string, detail: string): EncodingError {
  return new EncodingError(what, `not valid DER (${detail})`);
}

function readNodeAt(bytes: Uint8Array, offset: number, limit: number, depth: number, what: string): DerNode {
  if (depth > MAX_DEPTH) throw invalid(what, `nested deeper than ${MAX_DEPTH} levels`);
  if (offset + 2 > limit) throw invalid(what, `truncated header at byte ${offset}`);
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) throw invalid(what, `high tag numbers are not used here (byte ${offset})`);
  const first = bytes[offset + 1]!;
  let length: number;
  let contentStart: number;
  if (first < 0x80) {
    length = first;
    contentStart = offset + 2;
  } else {
    const count = first & 0x7f;
    if (count === 0) throw invalid(what, `indefinite length at byte ${offset} (not DER)`);
    if (count > 4) throw invalid(what, `length of ${count} octets at byte ${offset} is too large`);
    if (offset + 2 + count > limit) throw invalid(what, `truncated length at byte ${offset}`);
    length = 0;
    for (let index = 0; index < count; index++) length = length * 256 + bytes[offset + 2 + index]!;
    if (bytes[offset + 2] === 0 || length < 0x80) throw invalid(what, `non-minimal length at byte ${offset} (not DER)`);
    contentStart = offset + 2 + count;
  }
  const end = contentStart + length;
  if (end > limit) throw invalid(what, `a value at byte ${offset} claims ${length} bytes, more than remain`);
  return { bytes, tag, start: offset, contentStart, end, depth };
}
