import { describe, expect, it } from 'vitest';
import { supportedLocales } from '../../templates/context.js';
import { escapeHtml } from './html.js';
import type { FeedbackPageModel } from './model.js';
import { renderFeedbackPage } from './render.js';
import { pageModelWith } from './sample.js';

const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

describe('script injection', () => {
  const corpus = [
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    'javascript:alert(1)',
    'JaVaScRiPt:alert(document.cookie)',
    '</style><script>alert(1)</script>',
    '</textarea><script>alert(1)</script>',
    '</title><script>alert(1)</script>',
    '<!--',
    '--><script>alert(1)</script>',
    '<![CDATA[<script>alert(1)</script>]]>',
    '&lt;script&gt;alert(1)&lt;/script&gt;',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    '<scr\u0000ipt>alert(1)</scr\u0000ipt>',
    '\u0000<script>alert(1)</script>',
    '\uFEFF<svg/onload=alert(1)>',
    '\u202E>tpircs/<)1(trela>tpircs<',
    '\u2028</script>\u2029<script>',
    '＜script＞alert(1)＜/script＞',
    'ｊａｖａｓｃｒｉｐｔ:alert(1)',
    '%3Cscript%3Ealert(1)%3C/script%3E',
    '{company}{reason}{{constructor.constructor("alert(1)")()}}${alert(1)}',
    "x'onmouseover='@evil.example",
    'line one\n<script>alert(1)</script>\nline three',
  ];
  // The same text with every character that could make markup taken out: a page rendered from
  // it has exactly the markup the page should have.
  const defused = (text: string) => text.replace(/[<>"'&]/g, 'x');
  // With a logo, the company's name is its alt text: an attribute, escaped like the rest.
  const logo = `/logos/${'a'.repeat(64)}`;
  const variants: Partial<FeedbackPageModel>[] = [{}, { talentPool: { offered: false, member: true }, openQuestion: true }, { decisionVisible: false }, { logoPath: logo }];

  it.each(corpus)('%j stays text wherever the organization or the candidate wrote it', (payload) => {
    for (const locale of supportedLocales) {
      for (const variant of variants) {
        const page = renderFeedbackPage(
          pageModelWith(() => payload, variant),
          locale,
        );
        const reference = renderFeedbackPage(
          pageModelWith(() => defused(payload), variant),
          locale,
        );
        for (const char of ['<', '>', '"', "'"]) expect(count(page, char), `${char} in ${locale}`).toBe(count(reference, char));
        // Attribute names only: quoted values are text, whatever they say.
        for (const tag of page.match(/<[a-z][^>]*>/gi) ?? []) expect(tag.replace(/"[^"]*"/g, '""')).not.toMatch(/\son[a-z]+\s*=/i);
        // The logo is the one image, at its own path, with the name as an escaped attribute.
        const logoTag = /<img class="org-logo" src="\/logos\/a{64}" alt="[^"<>]*">/;
        if (variant.logoPath) expect(page).toMatch(logoTag);
        expect(page.replace(logoTag, '')).not.toMatch(/<(script|iframe|img|svg)/i);
        expect(page).not.toMatch(/(href|action|src)="\s*javascript:/i);
        expect(count(page, '</style>')).toBe(1);
        for (const [, href] of page.matchAll(/href="([^"]*)"/g)) expect(href).toMatch(/^(#main|mailto:|https:\/\/example\.test\/(privacy|careers)$)/);
        if (payload.includes('<') && !payload.includes('\u0000')) expect(page).toContain(escapeHtml(payload.split('\n')[0] ?? ''));
      }
    }
  });

  it('keeps an isolated name from reordering the sentence around it', () => {
    const page = renderFeedbackPage(
      pageModelWith(() => 'x', { companyName: '\u202Eevil' }),
      'en',
    );
    expect(page).toContain('<bdi>\u202Eevil</bdi>');
  });
});
