import { isAscii, isUtf8 } from 'node:buffer';
import { useNativeUtf8Decoder, type Utf8Decoder } from '../../shared/json/native-utf8';

const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * Node's UTF-8 check and decoding. ASCII bytes are their own Latin-1 text, which Node copies
 * into a string kept outside the JavaScript heap: a 28 MB payload then costs the garbage
 * collector nothing to move or mark.
 */
export const decodeUtf8Natively: Utf8Decoder = (bytes) => {
  if (isAscii(bytes)) return asBuffer(bytes).toString('latin1');
  return isUtf8(bytes) ? asBuffer(bytes).toString('utf8') : null;
};

/** Call once at start-up (installNativeHashes does). */
export function installNativeUtf8Decoder(): void {
  useNativeUtf8Decoder(decodeUtf8Natively);
}
