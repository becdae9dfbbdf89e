/// <reference lib="dom" />
// Every text a candidate reads, in a real browser (Debian's Chromium through playwright-core):
// each shipped template (every kind, every language, each register where a language has two),
// with full and sparse sample data, and the page in every language and register. Each is saved
// as a screenshot (test-results/texts/) and checked by axe-core for serious violations. Pure
// renders: no API, no database, so every combination costs a page load and nothing more.
import { mkdir } from 'node:fs/promises';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInMessageKinds } from '../../src/modules/decisions/decisions.schemas.js';
import { renderFeedbackPage } from '../../src/modules/candidate-page/view/render.js';
import { samplePageModels } from '../../src/modules/candidate-page/view/sample.js';
import { sampleContexts, supportedLocales, type SupportedLocale } from '../../src/modules/templates/context.js';
import { defaultTemplate } from '../../src/modules/templates/defaults.js';
import { defaultFormality, type Formality } from '../../src/modules/templates/formality.js';
import { renderTemplate } from '../../src/modules/templates/render.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = 'test-results/texts';

/** Each language formally, and informally where it ships that register. */
const registers: [SupportedLocale, Formality][] = [
  ...supportedLocales.map((locale) => [locale, 'formal'] as [SupportedLocale, Formality]),
  ...(Object.keys(defaultFormality) as SupportedLocale[]).map((locale) => [locale, 'informal'] as [SupportedLocale, Formality]),
];

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await mkdir(SCREENSHOTS, { recursive: true });
}, 600_000);
afterAll(async () => {
  await browser?.close();
});

async function seriousViolations(): Promise<string[]> {
  // setContent rewrites the document but keeps the window, so axe-core (half a megabyte of
  // script) is sent and parsed once rather than for each of the ~170 renders.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  const results = await page.evaluate(() => (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] }));
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
}

async function check(html: string, name: string, lang: SupportedLocale) {
  await page.setContent(html, { waitUntil: 'load' });
  expect(await page.getAttribute('html', 'lang')).toBe(lang);
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
  expect(await seriousViolations(), name).toEqual([]);
}

describe('every default template in Chromium', () => {
  it.each(registers)('%s (%s): every kind, with full and sparse data, passes axe', async (locale, formality) => {
    const { full, minimal } = sampleContexts(locale, 'https://hearback.example');
    for (const kind of builtInMessageKinds) {
      const template = defaultTemplate(kind, locale, formality);
      expect(template, `${kind} ${locale}`).toBeDefined();
      for (const [data, context] of [
        ['full', full],
        ['minimal', minimal],
      ] as const) {
        await check(renderTemplate(template!, context).html, `email-${kind}-${locale}-${formality}-${data}`, locale);
      }
    }
  });
});

describe('the organization logo in Chromium', () => {
  // A real 160×48 PNG of one colour, answered for the logo URL as Hearback would serve it.
  const LOGO_URL = `https://hearback.example/logos/${'a'.repeat(64)}`;
  const logoPng = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAKAAAAAwCAIAAAAZy+Y5AAAAZUlEQVR42u3RAQkAAAgEsS9iJfMbxxoig0twS/XocbEAsAALsAALsAALMGABFmABFmABFmDAAizAAizAAizAAgxYgAVYgAVYgAUYsAALsAALsAALMGABFmABFmABFmABBizAut4C58TcLG4iSvkAAAAASUVORK5CYII=',
    'base64',
  );

  it('heads the email and the page, with the name as its text alternative, and passes axe', async () => {
    await page.route(LOGO_URL, (route) => route.fulfill({ status: 200, contentType: 'image/png', body: logoPng }));
    try {
      const { full } = sampleContexts('en', 'https://hearback.example');
      const email = renderTemplate(defaultTemplate('rejection_after_interview', 'en')!, { ...full, organization: { ...full.organization, logoUrl: LOGO_URL } }).html;
      await check(email, 'email-with-logo', 'en');
      expect(await page.getAttribute('img', 'alt')).toBe('Northwind');
      expect(await page.evaluate(() => document.querySelector('img')!.naturalWidth)).toBe(160);
      await check(renderFeedbackPage({ ...samplePageModels('en').full, logoPath: LOGO_URL }, 'en'), 'page-with-logo', 'en');
      expect(await page.getAttribute('img.org-logo', 'alt')).toBe('Northwind');
      expect(await page.evaluate(() => document.querySelector('img')!.naturalWidth)).toBe(160);
    } finally {
      await page.unroute(LOGO_URL);
    }
  });
});

describe('the candidate page in Chromium, every language and register', () => {
  it.each(registers)('%s (%s): full and sparse pages pass axe', async (locale, formality) => {
    const { full, minimal } = samplePageModels(locale, formality);
    await check(renderFeedbackPage(full, locale), `page-${locale}-${formality}-full`, locale);
    await check(renderFeedbackPage({ ...minimal, opensTracked: true }, locale), `page-${locale}-${formality}-minimal`, locale);
  });
});
