/**
 * A runtime's native UTF-8 decoding lent to shared/ (Node and Electron's main process do, through
 * electron/services/native-utf8.ts): the strict JSON reader's decoding of a document of tens of
 * megabytes, such as a large manifest's payload. The answer must be the WHATWG fatal decoder's:
 * the text of valid UTF-8 (a byte-order mark kept as U+FEFF), null for anything else.
 */
export type Utf8Decoder = (bytes: Uint8Array) => string | null;

let active: Utf8Decoder | null = null;

/** Call once at start-up; `null` returns to the portable TextDecoder (tests). */
export function useNativeUtf8Decoder(decoder: Utf8Decoder | null): void {
  active = decoder;
}

export function nativeUtf8Decoder(): Utf8Decoder | null {
  return active;
}
