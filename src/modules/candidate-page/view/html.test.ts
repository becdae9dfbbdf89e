import { describe, expect, it } from 'vitest';
import { escapeHtml, fill, html, placeholders, SafeHtml } from './html.js';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('escapes text that is already escaped again, so it shows as written', () => {
    expect(escapeHtml('&lt;script&gt;')).toBe('&amp;lt;script&amp;gt;');
  });

  it('drops control characters but keeps tabs, newlines and every other character', () => {
    expect(escapeHtml('a\u0000b\u0007c\u001Bd\u009Be\tf\ng\r')).toBe('abcde\tf\ng\r');
    expect(escapeHtml('Zoë — 東京 \u202E 😀')).toBe('Zoë — 東京 \u202E 😀');
  });
});

describe('html', () => {
  it('escapes interpolated text and numbers, keeps safe markup, skips nothing-values, flattens lists', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'"x"'}">${inner}${null}${undefined}${false}${0}${['<', html`<br>`]}</p>`.value).toBe('<p title="&quot;x&quot;"><b>&lt;i&gt;</b>0&lt;<br></p>');
  });

  it('never treats a plain string as markup, even one that looks like SafeHtml output', () => {
    expect(html`${new SafeHtml('<br>').value}`.value).toBe('&lt;br&gt;');
  });
});

describe('fill', () => {
  it('escapes the sentence and fills its placeholders', () => {
    expect(fill('Hi {name} & welcome to {company}', { name: '<Alex>', company: html`<bdi>${'N'}</bdi>` }).value).toBe('Hi &lt;Alex&gt; &amp; welcome to <bdi>N</bdi>');
  });

  it('does not read placeholders inside values', () => {
    expect(fill('{a} and {b}', { a: '{b}', b: 'B' }).value).toBe('{b} and B');
  });

  it('throws on a placeholder without a value (a bug in a strings table)', () => {
    expect(() => fill('Hello {missing}', {})).toThrow(/missing/);
  });

  it('lists placeholders once each', () => {
    expect(placeholders('{a} {b} {a}')).toEqual(['a', 'b']);
  });
});
