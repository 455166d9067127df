/**
 * Strings from outside (bundles, approvals, lineage, deployments, board files, the profile)
 * reach terminals, CSV cells, SVG text and the page. A control character there is obeyed, not
 * shown: ESC starts a terminal sequence that can clear the screen and draw a fake report, CR
 * and LF start a fake line, and a bidi override reorders what follows it on screen. These
 * functions make every such character visible instead, and leave all other text as it is.
 *
 * Forms: C0 controls and DEL as `\x1b`, C1 controls as `\u009b`, bidi controls and the Unicode
 * line and paragraph separators as `<U+202E>`.
 */

/** Characters that are shown as a marker, never passed on. */
const HAZARD = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
/**
 * The same, but a line feed passes, and a carriage return right before one (CSV's CRLF): for
 * whole outputs whose line breaks are our own. A lone carriage return would overwrite a line.
 */
const HAZARD_KEEPING_LINE_FEED = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]|\r(?!\n)/g;
/** What JSON.stringify leaves raw but a terminal would obey (it already escapes C0 itself). */
const JSON_HAZARD = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
const HAS_HAZARD = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

function hex(codePoint: number, digits: number): string {
  return codePoint.toString(16).padStart(digits, '0');
}

/** The visible form of one hazardous character, e.g. `\x1b`, `\u009b`, `<U+202E>`. */
export function visibleForm(character: string): string {
  const codePoint = character.codePointAt(0) ?? 0;
  if (codePoint <= 0x1f || codePoint === 0x7f) return `\\x${hex(codePoint, 2)}`;
  if (codePoint <= 0x9f) return `\\u${hex(codePoint, 4)}`;
  return `<U+${hex(codePoint, 4).toUpperCase()}>`;
}

/** True when the text holds a character that a terminal or a bidi algorithm would obey. */
export function hasHazard(text: string): boolean {
  return HAS_HAZARD.test(text);
}

/**
 * One field (a name, key id, comment, path, message) made safe to print: every control
 * character, tab and line break included, and every bidi control shown in its visible form.
 */
export function neutraliseField(text: string): string {
  return text.replace(HAZARD, visibleForm);
}

/**
 * A whole output made safe to print, keeping its line feeds (and CRLF pairs): the last line of defence at the
 * point where text is written. Fields inside it should have been neutralised already, so that
 * a line break inside a field cannot start a fake line.
 */
export function neutraliseLines(text: string): string {
  return text.replace(HAZARD_KEEPING_LINE_FEED, visibleForm);
}

/**
 * A value as JSON that is safe to print and still parses back to the same value: what
 * JSON.stringify leaves raw (DEL, C1 controls, bidi controls, U+2028/U+2029) is written as a
 * `\uXXXX` escape, which JSON allows only inside strings, where these characters can only be.
 */
export function jsonText(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(JSON_HAZARD, (character) => `\\u${hex(character.codePointAt(0) ?? 0, 4)}`);
}

/**
 * A tagged template whose interpolated values are neutralised as fields, while the template's
 * own text (our layout, line breaks included) is kept: `fields\`  ${severity}: ${message}\``.
 */
export function fields(template: TemplateStringsArray, ...values: unknown[]): string {
  let out = template[0] ?? '';
  values.forEach((value, index) => {
    out += neutraliseField(String(value)) + (template[index + 1] ?? '');
  });
  return out;
}

/** A piece of an outside string for the page: plain text, or a marker standing for a hazardous character. */
export type TextSegment = { kind: 'text'; text: string } | { kind: 'marker'; text: string; codePoint: number };

/** The text split into plain runs and markers, for a view that styles markers apart. */
export function textSegments(text: string, options: { keepLineFeeds?: boolean } = {}): TextSegment[] {
  const pattern = new RegExp((options.keepLineFeeds ? HAZARD_KEEPING_LINE_FEED : HAZARD).source, 'g');
  const segments: TextSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const index = match.index;
    if (index > last) segments.push({ kind: 'text', text: text.slice(last, index) });
    segments.push({ kind: 'marker', text: visibleForm(match[0]), codePoint: match[0].codePointAt(0) ?? 0 });
    last = index + match[0].length;
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) });
  return segments;
}
