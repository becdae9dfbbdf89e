// The candidate's feedback page (/f/{token}) and the one page every unusable link gets, as
// complete HTML5 documents. Pure: the route loads the model, picks the locale (locale.ts),
// sets the headers (security.ts) and sends the string. No script, no style attribute, no
// third-party asset; the only CSS is PAGE_CSS, inlined (CSP hash) or linked.
import type { SupportedLocale } from '../../templates/context.js';
import { accentCss, PAGE_CSS } from './css.js';
import { view } from './format.js';
import { dataBlock, questionsBlock, ratingBlock, talentPoolBlock } from './forms.js';
import { fill, html, SafeHtml } from './html.js';
import type { FeedbackPageModel } from './model.js';
import { contactBlock, decisionBlock, feedbackBlock, nextStepsBlock, noticeBlock, pendingBlock } from './sections.js';
import { inlineStylesheet, type Stylesheet } from './security.js';
import { pageStrings, type PageStrings } from './strings.js';

export interface RenderOptions {
  /** Inline PAGE_CSS (default; CSP `style-src` with cssHash()) or link it at a path of ours. */
  stylesheet?: Stylesheet;
}

function styles(stylesheet: Stylesheet, accent: string | null): SafeHtml {
  // Inlined byte for byte: the CSP hash covers exactly the element's text.
  const page = stylesheet.mode === 'inline' ? new SafeHtml(`<style>${PAGE_CSS}</style>`) : html`<link rel="stylesheet" href="${stylesheet.href}">`;
  const accentStyle = accentCss(accent);
  return accentStyle
    ? html`${page}
${new SafeHtml(`<style>${accentStyle}</style>`)}`
    : page;
}

function documentHtml(locale: SupportedLocale, title: SafeHtml | string, body: SafeHtml, stylesheet: Stylesheet, accent: string | null = null): string {
  return html`<!DOCTYPE html>
<html lang="${locale}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light">
<title>${title}</title>
${styles(stylesheet, accent)}
</head>
<body>
${body}</body>
</html>
`.value;
}

/** The candidate's page. Before the email is sent (`decisionVisible` false) it shows no decision and no actions. */
export function renderFeedbackPage(model: FeedbackPageModel, locale: SupportedLocale, options: RenderOptions = {}): string {
  // The forms post under it: only a path on our own origin may ever get there.
  if (!/^\/(?![/\\])/.test(model.actionBase)) throw new Error('actionBase must be a path on this origin, like /f/{token}');
  const v = view(locale, model.timeZone, model.formality);
  const t = v.t;
  const values = { role: model.roleTitle, company: model.companyName };
  const content = model.decisionVisible
    ? [
        decisionBlock(v, model),
        feedbackBlock(v, model),
        nextStepsBlock(v, model),
        contactBlock(v, model),
        talentPoolBlock(v, model),
        ratingBlock(v, model),
        questionsBlock(v, model),
        dataBlock(v, model),
      ]
    : [pendingBlock(v, model)];
  const body = html`<a class="skip-link" href="#main">${t.page.skipLink}</a>
<header class="site-header"><div class="wrap">
<p class="company">${model.logoPath ? html`<img class="org-logo" src="${model.logoPath}" alt="${model.companyName}">` : html`<bdi>${model.companyName}</bdi>`}</p>
<p class="tagline">${t.page.personalPage}</p>
</div></header>
<main id="main" class="wrap" tabindex="-1">
<h1>${fill(t.page.heading, { role: html`<bdi>${model.roleTitle}</bdi>` })}</h1>
${model.decisionVisible ? noticeBlock(v, model.notice) : ''}${content}</main>
<footer class="site-footer"><div class="wrap"><p>${t.page.footer}</p>${
    model.opensTracked ? html`<p>${fill(t.page.opensTracked, { company: html`<bdi>${model.companyName}</bdi>` })}</p>` : ''
  }${organizationLinks(t, model)}</div></footer>
`;
  return documentHtml(locale, fill(t.page.title, values), body, options.stylesheet ?? inlineStylesheet, model.accentColor);
}

function organizationLinks(t: PageStrings, model: FeedbackPageModel): SafeHtml | string {
  const links = [
    model.links.privacyPolicy ? html`<a href="${model.links.privacyPolicy}">${t.page.privacyPolicy}</a>` : null,
    model.links.careers ? html`<a href="${model.links.careers}">${fill(t.page.careers, { company: html`<bdi>${model.companyName}</bdi>` })}</a>` : null,
  ].filter((link) => link !== null);
  return links.length === 0 ? '' : html`<ul class="org-links">${links.map((link) => html`<li>${link}</li>`)}</ul>`;
}

/**
 * The page for a link that is unknown, expired or revoked. It takes nothing but the language,
 * so it is the same bytes whatever the reason: the response tells nobody what exists.
 */
export function renderUnavailablePage(locale: SupportedLocale, options: RenderOptions = {}): string {
  const t = pageStrings(locale).unavailable;
  return cardPage(locale, t.title, t.heading, [t.body, t.help], options);
}

/** The page for an address that sent too many requests: it too takes nothing but the language. */
export function renderBusyPage(locale: SupportedLocale, options: RenderOptions = {}): string {
  const t = pageStrings(locale);
  return cardPage(locale, t.busy.title, t.busy.heading, [t.notices.rate_limited], options);
}

function cardPage(locale: SupportedLocale, title: string, heading: string, paragraphs: string[], options: RenderOptions): string {
  const body = html`<main id="main" class="wrap">
<div class="card">
<h1>${heading}</h1>
${paragraphs.map(
  (text) => html`<p>${text}</p>
`,
)}</div>
</main>
`;
  return documentHtml(locale, title, body, options.stylesheet ?? inlineStylesheet);
}
