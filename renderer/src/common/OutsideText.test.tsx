import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { OutsideText, shownText } from './OutsideText';

const RAW_HAZARD = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

describe('OutsideText', () => {
  it('renders a bidi override and a terminal escape as visible marks, inside <bdi>', () => {
    const html = renderToStaticMarkup(<OutsideText text={'invoice\u202efdp.exe\u001b[2J'} />);
    expect(html).not.toMatch(RAW_HAZARD);
    expect(html).toBe(
      '<bdi class="outside-text">invoice' +
        '<span class="outside-mark" title="Character U+202E from the file, shown instead of obeyed">&lt;U+202E&gt;</span>' +
        'fdp.exe' +
        '<span class="outside-mark" title="Character U+001B from the file, shown instead of obeyed">\\x1b</span>' +
        '[2J</bdi>',
    );
  });

  it('renders clean text as it is, markup escaped by React', () => {
    expect(renderToStaticMarkup(<OutsideText text="model <b>m92</b> · نموذج" />)).toBe('<bdi class="outside-text">model &lt;b&gt;m92&lt;/b&gt; · نموذج</bdi>');
  });

  it('shows a line break inside a name, and keeps it in a multi-line comment', () => {
    expect(renderToStaticMarkup(<OutsideText text={'a\nb'} />)).toContain('\\x0a');
    const comment = renderToStaticMarkup(<OutsideText text={'line one\nline two\u2067'} multiline />);
    expect(comment).toContain('line one\nline two');
    expect(comment).toContain('&lt;U+2067&gt;');
    expect(comment).toContain('class="outside-text multiline"');
  });
});

describe('shownText', () => {
  it('gives the same marks as plain text for titles and labels', () => {
    expect(shownText('key\u202e\u009b')).toBe('key<U+202E>\\u009b');
  });
});
