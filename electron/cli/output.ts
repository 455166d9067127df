import { neutraliseLines } from '../../shared/text/neutralise';
import { STYLE_SEQUENCE } from './colour';

/**
 * The one place the CLI writes text to stdout and stderr. Whatever reaches it, a control
 * character or bidi control from a bundle is shown (`\x1b`, `<U+202E>`), never obeyed; only
 * line feeds pass, and on stdout the few colour sequences the CLI's own painter writes
 * (`colour.ts`). Formatters neutralise each field as well, so an escape from a bundle reaches
 * this point already shown as text; JSON output goes through `jsonText`, which this leaves unchanged.
 */
export function writeOut(text: string): void {
  process.stdout.write(neutraliseKeepingStyle(text));
}

export function writeErr(text: string): void {
  process.stderr.write(neutraliseLines(text));
}

/** neutraliseLines, except for the painter's own colour sequences, which pass as they are. */
export function neutraliseKeepingStyle(text: string): string {
  let out = '';
  let from = 0;
  for (const match of text.matchAll(STYLE_SEQUENCE)) {
    out += neutraliseLines(text.slice(from, match.index)) + match[0];
    from = match.index + match[0].length;
  }
  return out + neutraliseLines(text.slice(from));
}
