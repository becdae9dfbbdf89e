import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { supportedLocales, type SupportedLocale } from '../../templates/context.js';
import { cssHash, PAGE_CSS } from './css.js';
import { FORM_FIELDS, FORM_PATHS } from './forms.js';
import { escapeHtml } from './html.js';
import { decisionKeys, decisionOf, decisionReason, noticeKeys } from './model.js';
import { renderBusyPage, renderFeedbackPage, renderUnavailablePage } from './render.js';
import { pageModelWith, samplePageModels } from './sample.js';
import { contentSecurityPolicy } from './security.js';
import { pageStrings, talentPoolConsentText } from './strings.js';

const at = (iso: string) => new Date(iso);

const plain = pageModelWith((field) => `${field} text`);
const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;
const headingLevels = (page: string) => [...page.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));

describe('the feedback page, in every language', () => {
  it.each(supportedLocales)('%s renders every section', (locale) => {
    const t = pageStrings(locale);
    const page = renderFeedbackPage(plain, locale);
    const has = (text: string) => expect(page).toContain(escapeHtml(text));
    expect(page.startsWith('<!DOCTYPE html>\n<html lang="' + locale + '" dir="ltr">')).toBe(true);
    for (const id of ['notice', 'feedback-heading', 'next-steps-heading', 'contact-heading', 'talent-pool', 'rating', 'questions', 'your-data']) {
      expect(page).toContain(`id="${id}"`);
    }
    has(t.notices.question_sent);
    has(t.decisionStatus.not_moving_forward);
    for (const heading of [t.feedback.heading, t.nextSteps.heading, t.contact.heading, t.talentPool.heading, t.rating.heading, t.questions.heading, t.data.heading]) {
      expect(page).toContain(`>${escapeHtml(heading)}</h2>`);
    }
    for (const heading of [
      t.feedback.strengths,
      t.feedback.areasToImprove,
      t.feedback.competencies,
      t.nextSteps.otherOpenings.one ?? t.nextSteps.otherOpenings.other,
      t.questions.history,
      t.data.requests,
    ]) {
      expect(page).toContain(`<h3>${escapeHtml(heading)}</h3>`);
    }
    for (const field of [
      'reasonLabel',
      'strength1',
      'strength2',
      'area',
      'competencyName',
      'competencyComment',
      'personalNote',
      'opening',
      'contactName',
      'contactEmail',
      'question1',
      'answer1',
      'question2',
      'ratingComment',
    ]) {
      expect(page).toContain(`${field} text`);
    }
    has(t.rating.legend);
    for (const label of t.rating.scale) has(label);
    has(t.questions.awaiting);
    has(t.questions.label);
    has(t.data.exportSubmit);
    has(t.data.deletionSubmit);
    has(t.data.statusCompleted);
    has(t.page.footer);
    has(talentPoolConsentText(locale, 'companyName text'));
    expect(page).toContain(new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'Europe/Berlin' }).format(at('2026-03-12T10:00:00Z')));
  });

  it.each(supportedLocales)('%s words every decision', (locale) => {
    const t = pageStrings(locale);
    const cases: [string, string][] = [
      ['reject', 'rejection_after_application'],
      ['update', 'status_update'],
      ['update', 'position_on_hold'],
      ['update', 'position_cancelled'],
      ['update', 'talent_pool_invite'],
      ['update', 'custom_news'],
    ];
    const seen = new Set(cases.map(([action, kind]) => decisionOf(action, kind)));
    expect([...seen].sort()).toEqual([...decisionKeys].sort());
    for (const [action, kind] of cases) {
      const page = renderFeedbackPage(
        pageModelWith((f) => `${f} text`, { action, kind }),
        locale,
      );
      expect(page).toContain(escapeHtml(t.decisionStatus[decisionOf(action, kind)]));
    }
  });

  it.each(supportedLocales)('%s shows every notice, errors as alerts', (locale) => {
    for (const notice of noticeKeys) {
      const page = renderFeedbackPage({ ...plain, notice }, locale);
      expect(page).toContain(escapeHtml(pageStrings(locale).notices[notice]));
      const error = ['rate_limited', 'invalid_input', 'form_expired', 'question_already_open'].includes(notice);
      expect(page).toContain(error ? 'role="alert"' : 'role="status"');
    }
  });

  it.each(supportedLocales)('%s greets in its own way', (locale) => {
    const page = renderFeedbackPage({ ...plain, candidateFirstName: 'Alex', candidateName: 'Alex Morgan' }, locale);
    expect(page).toContain(locale === 'de' ? 'Guten Tag <bdi>Alex Morgan</bdi>,' : '<bdi>Alex</bdi>');
  });
});

describe('the structure of the page', () => {
  const pages = supportedLocales.flatMap((locale) => {
    const { full, minimal } = samplePageModels(locale);
    return [full, minimal, plain, { ...plain, talentPool: { offered: false, member: true } }, { ...plain, decisionVisible: false }].map(
      (model) => [locale, renderFeedbackPage(model, locale)] as const,
    );
  });

  it('has one h1 and never skips a heading level', () => {
    for (const [, page] of pages) {
      const levels = headingLevels(page);
      expect(levels[0]).toBe(1);
      expect(levels.filter((level) => level === 1)).toHaveLength(1);
      levels.forEach((level, index) => expect(level).toBeLessThanOrEqual((levels[index - 1] ?? 0) + 1));
    }
  });

  it('has landmarks, robots and viewport meta, and unique ids', () => {
    for (const [, page] of pages) {
      for (const part of [
        '<header',
        '<main id="main"',
        '<footer',
        '<meta name="robots" content="noindex, nofollow">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<a class="skip-link" href="#main">',
      ]) {
        expect(page).toContain(part);
      }
      const ids = [...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('has no script, no style attribute, and no stylesheet but PAGE_CSS', () => {
    for (const [, page] of pages) {
      expect(page).not.toMatch(/<script/i);
      expect(page).not.toMatch(/\sstyle=/i);
      expect(count(page, '<style>')).toBe(1);
      expect(page).toContain(`<style>${PAGE_CSS}</style>`);
    }
  });

  it('labels every control, and groups the rating under a legend', () => {
    for (const [, page] of pages) {
      const controls = [...page.matchAll(/<(?:textarea|input type="(?:radio|checkbox)")[^>]*\sid="([^"]+)"/g)].map((m) => m[1]);
      for (const id of controls) expect(page).toMatch(new RegExp(`<label[^>]*\\sfor="${id}"`));
      if (page.includes('type="radio"'))
        expect(page).toMatch(/<fieldset>\n<legend>[^<]+<\/legend>\n<div class="scale">(<label for="rating-\d"><input type="radio"[^>]*>[^<]+<\/label>){5}<\/div>\n<\/fieldset>/);
    }
  });

  it('posts every form to the page with the CSRF token', () => {
    const paths = Object.values(FORM_PATHS).join('|');
    for (const [, page] of pages) {
      const forms = [
        ...page.matchAll(
          new RegExp(
            `<form method="post" action="/f/(?:sample|token text)(${paths})">\\n<input type="hidden" name="${FORM_FIELDS.csrf}" value="(?:sample-csrf-token|csrf text)">`,
            'g',
          ),
        ),
      ];
      expect(forms.length).toBe(count(page, '<form'));
    }
    const page = renderFeedbackPage(plain, 'en');
    expect(page).toContain(`action="/f/token text${FORM_PATHS.talentPool}"`);
    expect(page).toContain(`action="/f/token text${FORM_PATHS.rating}"`);
    expect(page).toContain(`action="/f/token text${FORM_PATHS.questions}"`);
    expect(count(page, `action="/f/token text${FORM_PATHS.dataRequests}"`)).toBe(2);
  });

  it('refuses an action base that is not a path of ours', () => {
    for (const actionBase of ['javascript:alert(1)', '//evil.example/f', 'https://evil.example/f']) {
      expect(() => renderFeedbackPage({ ...plain, actionBase }, 'en')).toThrow(/actionBase/);
    }
  });
});

describe('what the page leaves out', () => {
  it('omits every optional part cleanly', () => {
    for (const locale of supportedLocales) {
      const t = pageStrings(locale);
      const page = renderFeedbackPage(samplePageModels(locale).minimal, locale);
      for (const id of ['notice', 'feedback-heading', 'next-steps-heading', 'contact-heading', 'talent-pool', 'rating']) expect(page).not.toContain(`id="${id}"`);
      for (const text of [t.questions.history, t.data.requests, t.feedback.strengths]) expect(page).not.toContain(escapeHtml(text));
      expect(page).toContain(escapeHtml(t.feedback.none));
      expect(page).not.toContain('<time');
      // "\b": Italian writes "nulla" (nothing).
      expect(page).not.toMatch(/<ul[^>]*><\/ul>|<p[^>]*><\/p>|<h\d[^>]*><\/h\d>|\bundefined\b|\bnull\b|\bNaN\b|\{\w+\}/);
      expect(page).not.toContain(escapeHtml(t.because.replace('{label}', '')).trim());
    }
  });

  it('shows only the parts of the feedback that were written', () => {
    const t = pageStrings('en');
    const feedback = { ...plain.feedback!, strengths: [], competencies: [], personalNote: null, nextSteps: { otherOpenings: [], talentPoolInvite: false } };
    const page = renderFeedbackPage({ ...plain, feedback, contact: { name: null, email: 'not an address' } }, 'en');
    expect(page).toContain(t.feedback.areasToImprove);
    for (const text of [t.feedback.strengths, t.feedback.competencies, t.nextSteps.heading, escapeHtml(t.feedback.personalNoteFromTeam), escapeHtml(t.feedback.none)])
      expect(page).not.toContain(text);
    expect(page).not.toContain('mailto:');
    expect(page).toContain('<bdi>not an address</bdi>');
  });

  it('names the hiring team when the personal note has no author', () => {
    const page = renderFeedbackPage({ ...plain, contact: { name: null, email: null } }, 'fr');
    expect(page).toContain(escapeHtml(pageStrings('fr').feedback.personalNoteFromTeam));
    expect(page).not.toContain('id="contact-heading"');
  });

  it('says no reason that is "other" or that the decision already says', () => {
    const because = 'mainly because';
    expect(renderFeedbackPage({ ...plain, feedback: { ...plain.feedback!, reasonCategory: 'other' } }, 'en')).not.toContain(because);
    expect(renderFeedbackPage({ ...plain, action: 'update', kind: 'position_on_hold', feedback: { ...plain.feedback!, reasonCategory: 'role_on_hold' } }, 'en')).not.toContain(
      because,
    );
    expect(renderFeedbackPage(plain, 'en')).toContain(`${because} reasonLabel text`);
    expect(decisionReason('still_deciding', plain.feedback)).toBeNull();
  });

  it('before the email is sent, shows no decision, no feedback and no form', () => {
    for (const locale of supportedLocales) {
      const t = pageStrings(locale);
      const page = renderFeedbackPage({ ...plain, decisionVisible: false }, locale);
      expect(page).toContain(escapeHtml(t.pending.heading));
      expect(page).toContain('companyName text');
      for (const text of ['reasonLabel text', 'strength1 text', 'contactName text', 'question1 text', '<form', 'id="notice"']) expect(page).not.toContain(text);
      for (const decision of decisionKeys) expect(page).not.toContain(escapeHtml(t.decisionStatus[decision]));
    }
  });

  it('never words a hire, an offer or an unknown action as a rejection', () => {
    const t = pageStrings('en');
    for (const action of ['hire', 'offer', 'advance', '']) {
      expect(decisionOf(action, 'rejection_after_interview')).toBe('update');
      const page = renderFeedbackPage({ ...plain, action }, 'en');
      expect(page).not.toContain(t.decisionStatus.not_moving_forward);
      expect(page).not.toContain('not to move forward');
    }
    expect(decisionOf('update', 'rejection_after_interview')).toBe('update');
    expect(decisionOf('reject', 'custom_rejection')).toBe('not_moving_forward');
    expect(decisionOf('reject', 'position_cancelled')).toBe('position_cancelled');
  });
});

describe('the candidate’s actions', () => {
  const t = pageStrings('en');

  it('offers the talent pool with the recorded consent text, and the locale it was shown in', () => {
    const page = renderFeedbackPage(plain, 'de');
    expect(page).toContain(`<input type="hidden" name="${FORM_FIELDS.talentPool.action}" value="join">`);
    expect(page).toContain(`<input type="hidden" name="${FORM_FIELDS.talentPool.locale}" value="de">`);
    expect(page).toContain(`<p id="talent-pool-consent" class="consent">${escapeHtml(talentPoolConsentText('de', 'companyName text'))}</p>`);
  });

  it('lets a member leave, and offers nothing to someone neither invited nor a member', () => {
    const member = renderFeedbackPage({ ...plain, talentPool: { offered: false, member: true } }, 'en');
    expect(member).toContain(`name="${FORM_FIELDS.talentPool.action}" value="leave"`);
    expect(member).toContain(t.talentPool.leave);
    expect(member).not.toContain('talent-pool-consent');
    expect(renderFeedbackPage({ ...plain, talentPool: { offered: false, member: false } }, 'en')).not.toContain('id="talent-pool"');
  });

  it('prefills the rating and the comment', () => {
    const page = renderFeedbackPage({ ...plain, rating: { value: 2, comment: '</textarea><b>x</b>' } }, 'en');
    expect(page).toContain('value="2" required checked>');
    expect(count(page, ' checked')).toBe(1);
    expect(page).toContain('&lt;/textarea&gt;&lt;b&gt;x&lt;/b&gt;</textarea>');
    expect(page).toContain(t.rating.update);
    expect(renderFeedbackPage({ ...plain, rating: null }, 'en')).not.toContain(' checked');
  });

  it('asks one question at a time', () => {
    const open = renderFeedbackPage({ ...plain, openQuestion: true }, 'en');
    expect(open).toContain(t.questions.oneAtATime);
    expect(open).not.toContain(`name="${FORM_FIELDS.questions.question}"`);
    expect(renderFeedbackPage(plain, 'en')).toContain(`name="${FORM_FIELDS.questions.question}"`);
  });

  it('does not offer a data request that is already in progress', () => {
    const pending = (kind: 'export' | 'deletion') => renderFeedbackPage({ ...plain, dataRequests: [{ kind, createdAt: at('2026-03-16T09:00:00Z'), status: 'pending' }] }, 'en');
    expect(pending('export')).not.toContain(t.data.exportSubmit);
    expect(pending('export')).toContain(t.data.deletionSubmit);
    expect(pending('deletion')).not.toContain(t.data.deletionSubmit);
    expect(pending('deletion')).toContain(t.data.exportSubmit);
    expect(pending('deletion')).toContain(t.data.statusPending);
  });

  it('asks for a confirmation before a deletion', () => {
    expect(renderFeedbackPage(plain, 'en')).toContain(`name="${FORM_FIELDS.dataRequests.confirm}" value="yes" required`);
  });
});

describe('the unavailable page', () => {
  it.each(supportedLocales)('%s is the same bytes every time, whatever the reason', (locale) => {
    const pages = [renderUnavailablePage(locale), renderUnavailablePage(locale), renderUnavailablePage(locale, { stylesheet: { mode: 'inline' } })];
    expect(new Set(pages).size).toBe(1);
    expect(renderUnavailablePage.length).toBe(1);
    const page = pages[0] ?? '';
    const t = pageStrings(locale).unavailable;
    expect(page).toContain(`<html lang="${locale}"`);
    expect(page).toContain(`<h1>${escapeHtml(t.heading)}</h1>`);
    expect(page).toContain('<meta name="robots" content="noindex, nofollow">');
    expect(page).not.toMatch(/<form|<script|\sstyle=|<a\s/);
    expect(headingLevels(page)).toEqual([1]);
  });

  it('speaks each language', () => {
    expect(new Set(supportedLocales.map((locale) => renderUnavailablePage(locale))).size).toBe(supportedLocales.length);
  });
});

describe('the busy page (too many requests from one address)', () => {
  it.each(supportedLocales)('%s takes nothing but the language and says to wait', (locale) => {
    const page = renderBusyPage(locale);
    expect(renderBusyPage.length).toBe(1);
    const t = pageStrings(locale);
    expect(page).toContain(`<html lang="${locale}"`);
    expect(page).toContain(`<h1>${escapeHtml(t.busy.heading)}</h1>`);
    expect(page).toContain(`<p>${escapeHtml(t.notices.rate_limited)}</p>`);
    expect(page).not.toMatch(/<form|<script|\sstyle=|<a\s/);
    expect(headingLevels(page)).toEqual([1]);
  });
});

describe('styles and their CSP', () => {
  it('hashes exactly the inlined text', () => {
    const page = renderFeedbackPage(plain, 'en');
    const inlined = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? '';
    expect(inlined).toBe(PAGE_CSS);
    expect(cssHash()).toBe(`'sha256-${createHash('sha256').update(inlined, 'utf8').digest('base64')}'`);
    expect(contentSecurityPolicy()).toContain(`style-src ${cssHash()}`);
    expect(contentSecurityPolicy()).toMatch(/^default-src 'none'; /);
  });

  it('links the stylesheet instead when asked, and the CSP then allows our origin only', () => {
    const stylesheet = { mode: 'link', href: '/f-assets/page.css' } as const;
    const page = renderFeedbackPage(plain, 'en', { stylesheet });
    expect(page).toContain('<link rel="stylesheet" href="/f-assets/page.css">');
    expect(page).not.toContain('<style>');
    expect(renderUnavailablePage('en', { stylesheet })).toContain('<link rel="stylesheet" href="/f-assets/page.css">');
    expect(contentSecurityPolicy(stylesheet)).toContain("style-src 'self'");
  });

  it('is small, self-contained, ASCII, and keeps a visible focus', () => {
    expect(PAGE_CSS).toMatch(/^[\x20-\x7E\n]*$/);
    expect(PAGE_CSS).not.toMatch(/<\/|@import|url\(/i);
    expect(PAGE_CSS).toContain(':focus-visible');
    // The only outline taken away is main's, which the skip link focuses (tabindex=-1).
    expect(PAGE_CSS.match(/[^}]*\{[^}]*outline:\s*(none|0)\b/g)).toEqual(['\nmain:focus{outline:none']);
    expect(Buffer.byteLength(PAGE_CSS)).toBeLessThan(8_000);
  });
});

describe('locale-specific formatting', () => {
  it.each([
    ['en', 'March 12, 2026', '2,000'],
    ['fr', '12 mars 2026', '2\u202F000'],
    ['de', '12. März 2026', '2.000'],
    ['es', '12 de marzo de 2026', '2000'],
  ] as [SupportedLocale, string, string][])('%s writes dates and counts its own way', (locale, date, max) => {
    const page = renderFeedbackPage({ ...plain, timeZone: 'Not/AZone' }, locale);
    expect(page).toContain(`<time datetime="2026-03-12T10:00:00.000Z">${date}</time>`);
    expect(page).toContain(max);
  });
});

describe('page details', () => {
  it.each(supportedLocales)('%s words one other opening in the singular, several in the plural', (locale) => {
    const t = pageStrings(locale).nextSteps;
    const withOpenings = (otherOpenings: string[]) =>
      renderFeedbackPage({ ...plain, feedback: { ...plain.feedback!, nextSteps: { otherOpenings, talentPoolInvite: false } } }, locale);
    const one = withOpenings(['Staff Engineer']);
    expect(one).toContain(escapeHtml(t.otherOpeningsHint.one!));
    expect(one).not.toContain(escapeHtml(t.otherOpeningsHint.other));
    const two = withOpenings(['Staff Engineer', 'Data Engineer']);
    expect(two).toContain(escapeHtml(t.otherOpeningsHint.other));
    expect(two).toContain(`<h3>${escapeHtml(t.otherOpenings.other)}</h3>`);
  });

  it.each(supportedLocales)('%s labels the new question apart from the questions asked before', (locale) => {
    const t = pageStrings(locale).questions;
    expect(t.label).not.toBe(t.yourQuestion);
    const page = renderFeedbackPage({ ...plain, openQuestion: false }, locale);
    expect(count(page, `>${escapeHtml(t.yourQuestion)}<`)).toBe(plain.questions.length);
    expect(page).toContain(`<label for="question">${escapeHtml(t.label)}</label>`);
  });

  it('keeps space between the header bar and the title: main’s own padding is not lost to .wrap’s', () => {
    // Both rules set padding on <main class="wrap">; the later, at least as specific one wins.
    const wrap = PAGE_CSS.indexOf('.wrap{');
    const main = PAGE_CSS.search(/(^|\n)main\.wrap\{[^}]*padding-top:1\.5rem/);
    expect(wrap).toBeGreaterThanOrEqual(0);
    expect(main).toBeGreaterThan(wrap);
  });

  it('tells the candidate when opens are tracked, and only then', () => {
    expect(renderFeedbackPage({ ...plain, opensTracked: true }, 'en')).toContain('tell it when you open them, through an invisible image');
    expect(renderFeedbackPage({ ...plain, opensTracked: false }, 'en')).not.toContain('invisible image');
  });

  it('links the organization’s privacy policy and careers page in the footer, only when it has them', () => {
    const page = renderFeedbackPage({ ...plain, companyName: 'Northwind', links: { privacyPolicy: 'https://n.example/privacy?a=1&b=2', careers: 'https://n.example/jobs' } }, 'de');
    expect(page).toContain('<a href="https://n.example/privacy?a=1&amp;b=2">Datenschutzerklärung</a>');
    expect(page).toContain('<a href="https://n.example/jobs">Karriere bei <bdi>Northwind</bdi></a>');
    const without = renderFeedbackPage({ ...plain, links: { privacyPolicy: null, careers: null } }, 'de');
    expect(without).not.toContain('<ul class="org-links">');
  });

  it('speaks the organization’s register: tú when it chose informal Spanish', () => {
    expect(renderFeedbackPage({ ...plain, formality: 'informal' }, 'es')).toContain('Tus preguntas');
    expect(renderFeedbackPage(plain, 'es')).toContain('Sus preguntas');
  });
});
