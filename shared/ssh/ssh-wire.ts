import { FormatError } from '../formats/format-error';

/**
 * Reads the SSH wire encoding (RFC 4251 §5): uint32, string, mpint. Every length is checked
 * against what is left before anything is sliced, so a truncated or lying length is an error
 * naming the field, never a read past the end.
 */
export class SshWireReader {
  private offset = 0;

  constructor(
    private readonly bytes: Uint8Array,
    /** Names the structure in error messages, e.g. "SSH signature". */
    private readonly what: string,
  ) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  uint32(field: string): number {
    if (this.remaining < 4) throw this.truncated(field, 4);
    const b = this.bytes;
    const o = this.offset;
    this.offset += 4;
    return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
  }

  bytesOf(length: number, field: string): Uint8Array {
    if (this.remaining < length) throw this.truncated(field, length);
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  string(field: string): Uint8Array {
    const length = this.uint32(`${field} length`);
    return this.bytesOf(length, field);
  }

  /** A string that must be printable ASCII (names of algorithms, namespaces). */
  text(field: string, maxLength = 1024): string {
    const bytes = this.string(field);
    if (bytes.length > maxLength) throw new FormatError(this.what, `${field} is ${bytes.length} bytes long, more than ${maxLength}`);
    for (const byte of bytes) {
      if (byte < 0x20 || byte > 0x7e) throw new FormatError(this.what, `${field} holds a byte that is not printable ASCII (0x${byte.toString(16).padStart(2, '0')})`);
    }
    return new TextDecoder().decode(bytes);
  }

  /** A non-negative mpint, as its unsigned big-endian magnitude without leading zeros. */
  positiveMpint(field: string): Uint8Array {
    const bytes = this.string(field);
    if (bytes.length === 0) return bytes;
    if ((bytes[0]! & 0x80) !== 0) throw new FormatError(this.what, `${field} is a negative mpint`);
    if (bytes[0] === 0 && (bytes.length === 1 || (bytes[1]! & 0x80) === 0)) throw new FormatError(this.what, `${field} is an mpint with a needless leading zero`);
    return bytes[0] === 0 ? bytes.subarray(1) : bytes;
  }

  /** Fails unless every byte was read: trailing bytes are never ignored. */
  end(): void {
    if (this.remaining !== 0) throw new FormatError(this.what, `${this.remaining} unexpected byte(s) after the last field`);
  }

  private truncated(field: string, needed: number): FormatError {
    return new FormatError(this.what, `truncated: ${field} needs ${needed} byte(s), ${this.remaining} left`);
  }
}

export function sshString(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length);
  out.set(bytes, 4);
  return out;
}

export function sshText(text: string): Uint8Array {
  return sshString(new TextEncoder().encode(text));
}
