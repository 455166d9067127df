import { neutraliseLines } from '../../shared/text/neutralise';

/**
 * The one place the CLI writes text to stdout and stderr. Whatever reaches it, a control
 * character or bidi control from a bundle is shown (`\x1b`, `<U+202E>`), never obeyed; only
 * line feeds pass. Formatters neutralise each field as well, so that a line break inside a
 * field is shown too; JSON output goes through `jsonText`, which this leaves unchanged.
 */
export function writeOut(text: string): void {
  process.stdout.write(neutraliseLines(text));
}

export function writeErr(text: string): void {
  process.stderr.write(neutraliseLines(text));
}
