// The few web-platform globals that every runtime of shared/ has (Node, Chromium, Electron):
// declared here because shared/ compiles without DOM or Node typings on purpose.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array): string;
}
