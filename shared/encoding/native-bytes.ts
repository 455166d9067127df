/**
 * A runtime's native byte operations lent to shared/ (Node and Electron's main process do,
 * through electron/services/native-bytes.ts), for the one document of tens of megabytes a
 * verification reads: a large manifest's DSSE envelope, whose payload is one base64 string.
 * Each answer must be the portable code's, for every input.
 */
export interface NativeBytes {
  /** `bytes.indexOf(value, from)`: the first index at or after `from` holding `value`, or -1. */
  indexOf(bytes: Uint8Array, value: number, from: number): number;
  /**
   * decodeBase64CanonicalBytes (base64.ts): the bytes of canonical base64 text in
   * `source[start, end)`, placed after `headroom` free bytes of the same buffer, or null for
   * anything but one canonical spelling.
   */
  decodeBase64Canonical(source: Uint8Array, start: number, end: number, headroom: number): Uint8Array | null;
}

let active: NativeBytes | null = null;

/** Call once at start-up; `null` returns to the portable code (tests). */
export function useNativeBytes(operations: NativeBytes | null): void {
  active = operations;
}

export function nativeBytes(): NativeBytes | null {
  return active;
}

/** The first index at or after `from` where `bytes` holds `value`, or -1: natively when lent (a search through tens of megabytes). */
export function indexOfByte(bytes: Uint8Array, value: number, from: number): number {
  return active === null ? bytes.indexOf(value, from) : active.indexOf(bytes, value, from);
}
