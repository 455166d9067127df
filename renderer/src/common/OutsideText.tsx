import { neutraliseField, textSegments } from '../../../shared/text/neutralise';

interface OutsideTextProps {
  /** A string from a bundle, approval, lineage, deployment, board file or the profile. */
  text: string;
  /** Keep line feeds (a comment's paragraphs); every other control character is still shown. */
  multiline?: boolean;
}

/**
 * A string from outside, shown as written but never obeyed. React already escapes markup; this
 * also shows control characters (`\x1b`) and bidi controls (`<U+202E>`) as marked tokens, so a
 * right-to-left override cannot reorder the text after it, and `<bdi>` keeps the string's own
 * direction from spilling into the words around it.
 */
export function OutsideText({ text, multiline = false }: OutsideTextProps) {
  const segments = textSegments(text, { keepLineFeeds: multiline });
  return (
    <bdi className={multiline ? 'outside-text multiline' : 'outside-text'}>
      {segments.map((segment, index) =>
        segment.kind === 'text' ? (
          segment.text
        ) : (
          <span key={index} className="outside-mark" title={`Character ${codePointName(segment.codePoint)} from the file, shown instead of obeyed`}>
            {segment.text}
          </span>
        ),
      )}
    </bdi>
  );
}

/** For places that take a plain string (a title, an aria-label, a file name): the same marks, as text. */
export function shownText(text: string): string {
  return neutraliseField(text);
}

function codePointName(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}
