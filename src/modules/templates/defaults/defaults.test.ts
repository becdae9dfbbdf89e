// The default templates (6 kinds x every locale and register x subject/html/text) render in strict mode against the
// rendering context contract, with and without feedback, and say what they must say.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Liquid } from 'liquidjs';
import { describe, expect, it } from 'vitest';
import { builtInMessageKinds } from '../../decisions/decisions.schemas.js';
import { supportedLocales, type TemplateContext } from '../context.js';
import { defaultFormality } from '../formality.js';
import { registerFilters } from '../render.js';

const dir = fileURLToPath(new URL('.', import.meta.url));
const locales = supportedLocales;
const kinds = builtInMessageKinds;
const parts = ['subject', 'html', 'text'] as const;
type Locale = (typeof locales)[number];
/** Each shipped set: a language's formal register in <locale>/, its informal one in <locale>/informal/. */
const variants = [...locales, ...Object.keys(defaultFormality).map((l) => `${l}/informal`)];
const languageOf = (variant: string) => variant.split('/')[0] as Locale;
type Kind = (typeof kinds)[number];
type Part = (typeof parts)[number];

// The message kinds that state the reason (feedback.reasonLabel) when feedback is present.
const statesReason = new Set<Kind>(['rejection_after_interview', 'rejection_after_application', 'position_on_hold', 'position_cancelled']);

const htmlEngine = registerFilters(new Liquid({ strictVariables: true, strictFilters: true, outputEscape: 'escape' }));
const plainEngine = registerFilters(new Liquid({ strictVariables: true, strictFilters: true }));

const source = (locale: string, kind: Kind, part: Part) => readFileSync(join(dir, locale, `${kind}.${part}.liquid`), 'utf8');

// Same escaping as LiquidJS's `escape` filter.
const esc = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');

interface Rendered {
  subject: string;
  html: string;
  text: string;
}

function render(locale: string, kind: Kind, context: RenderContext): Rendered {
  return {
    subject: plainEngine.parseAndRenderSync(source(locale, kind, 'subject'), context) as string,
    html: htmlEngine.parseAndRenderSync(source(locale, kind, 'html'), context) as string,
    text: plainEngine.parseAndRenderSync(source(locale, kind, 'text'), context) as string,
  };
}

// The rendering context contract: every key is always present, absent values are null or [].
type RenderContext = TemplateContext;

const nasty = `<b>Tom & "Jerry"</b>`;

const full = {
  candidate: { name: "Zoë O'Brien-Núñez", firstName: 'Zoë' },
  organization: {
    name: 'Acme & Sons',
    accentColor: '#7c2d12',
    privacyPolicyUrl: 'https://acme.example/privacy?from=email&x=1',
    careersUrl: 'https://acme.example/jobs',
    logoUrl: `https://hearback.example/logos/${'a'.repeat(64)}`,
  },
  requisition: { title: 'Senior Backend Engineer', department: 'Platform', location: 'Lisbon' },
  recruiter: { name: 'Jane Doe', email: 'jane.doe@acme.example' },
  feedback: {
    reasonCategory: 'skills_gap',
    reasonLabel: 'REASON-LABEL-7431',
    strengths: [`Clear explanations of ${nasty}`, 'Strong SQL and data modelling'],
    areasToImprove: ['Depth in distributed systems', "Testing strategy: say what you'd test first"],
    competencies: [
      { name: 'System design', rating: 4, comment: 'Good reasoning about trade-offs' },
      { name: 'Coding', rating: 3, comment: null },
    ],
    personalNote: `It was a pleasure to meet you. ${nasty}`,
    nextSteps: { otherOpenings: ['Staff Engineer, Data', 'Backend Engineer (Payments)'], talentPoolInvite: true },
  },
  status: { expectedDecisionDate: 'DATE-15-12-2026' },
  links: {
    feedbackPage: 'https://hearback.example/f/abc123?lang=xx&src=email',
    talentPool: 'https://hearback.example/t/acme?from=email&x=1',
  },
} satisfies RenderContext;

const minimal: RenderContext = {
  candidate: { name: 'Amara Okafor', firstName: 'Amara' },
  organization: { name: 'Northwind', accentColor: '#1d4ed8', privacyPolicyUrl: null, careersUrl: null, logoUrl: null },
  requisition: { title: 'Data Analyst', department: null, location: null },
  recruiter: { name: null, email: null },
  feedback: null,
  status: { expectedDecisionDate: null },
  links: { feedbackPage: 'https://hearback.example/f/xyz789', talentPool: null },
};

const reasonOnly: RenderContext = {
  ...minimal,
  recruiter: { name: 'Sam Lee', email: null },
  feedback: {
    reasonCategory: 'position_filled',
    reasonLabel: 'REASON-ONLY-LABEL',
    strengths: [],
    areasToImprove: [],
    competencies: [],
    personalNote: null,
    nextSteps: { otherOpenings: [], talentPoolInvite: false },
  },
};

const withoutTemplateSyntax = (output: string) => {
  expect(output).not.toContain('{{');
  expect(output).not.toContain('}}');
  expect(output).not.toContain('{%');
  expect(output).not.toContain('%}');
};

const linesOf = (text: string) => text.split('\n');
// The text part is wrapped at render time, so a multi-word value may span lines.
const flat = (text: string) => text.replace(/\s+/g, ' ');
const expectInText = (text: string, value: string) => expect(flat(text)).toContain(flat(value));

function commonChecks(variant: string, kind: Kind, context: RenderContext, out: Rendered) {
  const locale = languageOf(variant);
  for (const part of parts) withoutTemplateSyntax(out[part]);

  // Subject: one short line with the role title.
  expect(out.subject).not.toMatch(/[\r\n]/);
  expect(out.subject.trim()).toBe(out.subject);
  expect(out.subject.length).toBeGreaterThan(10);
  expect(out.subject.length).toBeLessThan(100);
  expect(out.subject).toContain(context.requisition.title);
  expect(out.subject).not.toMatch(/&(amp|lt|gt|#\d+);/);

  // HTML: email-safe document in the right language, everything escaped.
  expect(out.html).toContain(`<html lang="${locale}"`);
  expect(out.html).not.toMatch(/<script/i);
  expect(out.html).not.toMatch(/<style/i);
  // The one image is the organization's logo, from Hearback's origin, named by the organization.
  const logo = /<img src="([^"]*)" alt="([^"]*)" height="40" style="[^"]*">/;
  if (context.organization.logoUrl) expect(out.html.match(logo)?.slice(1)).toEqual([esc(context.organization.logoUrl), esc(context.organization.name)]);
  expect(out.html.replace(logo, '')).not.toMatch(/<img|<link|\ssrc=|url\(/i);
  expect(out.html).toMatch(/<table role="presentation"/);
  expect(out.html).toContain('max-width:600px');
  expect(out.html.match(/<table/g)?.length).toBe(out.html.match(/<\/table>/g)?.length);
  expect(out.html.match(/<p /g)?.length).toBe(out.html.match(/<\/p>/g)?.length);
  for (const value of [context.candidate.firstName, context.requisition.title, context.organization.name]) {
    expect(out.html).toContain(esc(value));
  }
  expect(out.html).toContain(`href="${esc(context.links.feedbackPage)}"`);
  expect(out.html).not.toMatch(/\bnull\b|\bundefined\b|\[object Object\]/);
  // Every colour is a plain hex value (no generator or template artefacts in styles).
  for (const [, value] of out.html.matchAll(/(?:color|bgcolor)(?::|=")\s*([^;"]*)/g)) {
    expect(value).toMatch(/^#[0-9a-f]{6}$/);
  }
  expect(out.html).not.toMatch(/style="[^"]*(\{|<)/);

  // Text: a real alternative, with the personal link on its own line.
  for (const value of [context.candidate.firstName, context.requisition.title, context.organization.name]) {
    expectInText(out.text, value);
  }
  expect(linesOf(out.text)).toContain(context.links.feedbackPage);
  expect(out.text).not.toMatch(/<(p|a|br|table|td|tr|div|span|strong|ul|li|h2)[\s>]/i);
  expect(out.text).not.toMatch(/&(amp|lt|gt|nbsp|middot|#\d+);/);
  expect(out.text).not.toMatch(/\bnull\b|\bundefined\b|\[object Object\]/);
  expect(out.text).not.toMatch(/\n{3,}/);
  expect(out.text).not.toMatch(/[ \t]+\n/);
  expect(out.text.startsWith('\n')).toBe(false);
  expect(out.text.endsWith('\n')).toBe(true);
  // Wrapped at 72 columns; only a single unbreakable word (a link) may be longer.
  for (const line of linesOf(out.text)) {
    if (line.length > 72) expect(line.trim(), line).not.toContain(' ');
  }

  // Punctuation of the static copy (checked where no free-text feedback is rendered): no stray
  // spaces left by empty values; French puts a no-break space before ":", ";", "!" and "?".
  if (context.feedback === null || context.feedback.strengths.length === 0) {
    const prose = linesOf(out.text).filter((line) => !line.startsWith('https://'));
    for (const output of [out.subject, ...prose]) {
      expect(output).not.toMatch(/\( |\(\)| \)| ,| \.(?!\.)/);
      expect(output).not.toMatch(/ {2,}/);
      if (locale === 'fr') expect(output).not.toMatch(/ [:;!?]|[^\s\u00a0\u202f][:;!?]/);
      else expect(output).not.toMatch(/[ \u00a0][:;!?]/);
    }
  }

  // Who to contact is always said: the personal page (button, fallback link, contact line) and,
  // when known, the hiring contact by name and email.
  expect(out.html.split(`href="${esc(context.links.feedbackPage)}"`).length - 1).toBeGreaterThanOrEqual(3);
  if (context.recruiter.email) {
    expect(out.html).toContain(`href="mailto:${esc(context.recruiter.email)}"`);
    expectInText(out.text, context.recruiter.email);
  }
  if (context.recruiter.name) {
    expect(out.html).toContain(esc(context.recruiter.name));
    expectInText(out.text, context.recruiter.name);
  }
}

describe('default templates', () => {
  it('ship exactly subject, html and text for every kind in every locale', () => {
    for (const locale of variants) {
      const files = readdirSync(join(dir, locale))
        .filter((f) => f.endsWith('.liquid'))
        .sort();
      const expected = kinds.flatMap((kind) => parts.map((part) => `${kind}.${part}.liquid`)).sort();
      expect(files).toEqual(expected);
    }
  });

  // Unknown variables and filters are caught by the strict renders below (the contexts hold exactly
  // the contract's keys); this checks what strict mode cannot.
  it('never use the raw filter, scripts, style blocks or images other than the logo', () => {
    for (const locale of variants) {
      for (const kind of kinds) {
        for (const part of parts) {
          const src = source(locale, kind, part);
          expect(src).not.toMatch(/\|\s*raw\b/);
          expect(src.replace('<img src="{{ organization.logoUrl }}"', '')).not.toMatch(/<script|<style|<img/i);
        }
      }
    }
  });

  // One register per set, all the way through: a stray tú in an usted email (or the reverse)
  // is the inconsistency candidates notice first.
  const registerMarkers: Record<string, { informal: RegExp; formal: RegExp; formalInInformal?: RegExp }> = {
    es: {
      informal: /\b(tu|tus|te|ti|contigo|tienes|puedes|quieres|dedicaste|presentaste|escribe|hazla|pregúntanos|cuéntanos\w*|copia este)\b/i,
      formal: /\b(usted|su|sus|tiene|puede|quiere|dedicó|presentó|escriba|hágala|pregúntenos|cuéntenos\w*|copie)\b/i,
      // "su" also means "its/their" (su eliminación), and "le" may be "to it": neither marks usted.
      formalInInformal: /\b(usted|tiene|puede|quiere|dedicó|presentó|escriba|hágala|pregúntenos|cuéntenos\w*|copie)\b/i,
    },
    // Capitalised Sie/Ihr/Ihnen is the formal address; lower-case sie/ihr/ihnen are "they/her/them".
    de: { informal: /\b(du|dich|dir(?!=)|dein\w*|hast|kannst|möchtest)\b/i, formal: /\b(Sie|Ihr\w*|Ihnen)\b/ },
    fr: {
      informal: /(^|[^\p{L}])(tu|te|toi|ton|ta|tes|t’\p{L}+|dis-le-nous|pose-nous|copie ce)(?=$|[^\p{L}])/iu,
      formal: /(^|[^\p{L}])(vous|votre|vos|\p{L}+ez-(nous|le)\p{L}*|copiez|passez)(?=$|[^\p{L}])/iu,
    },
    // Lei's forms are the third person ("la sua candidatura", "le scriveremo"); tu's are unmistakable.
    it: {
      informal: /(^|[^\p{L}])(tu|tua|tuo|tuoi|tue|ti|te|puoi|devi|vuoi|hai|trovi|chiedicelo|copia questo)(?=$|[^\p{L}])/iu,
      formal: /(^|[^\p{L}])(lei|sua|suo|suoi|sue|può|deve|desidera|trova|ha presentato|ci ha dedicato|la preghiamo|copi|gentile|glielo)(?=$|[^\p{L}])/iu,
    },
    nl: {
      informal: /(^|[^\p{L}])(je|jij|jou|jouw|alsjeblieft|hoi)(?=$|[^\p{L}])/iu,
      formal: /(^|[^\p{L}])(u|uw|alstublieft|hebt u|kunt u|wilt u)(?=$|[^\p{L}])/iu,
    },
  };
  const words = (out: Rendered) => [out.subject, flat(out.html), out.text].join('\n').replace(/\{\{[^}]*\}\}/g, ' ');
  it.each(Object.keys(registerMarkers))('%s: the formal set never says the informal you, the informal set never the formal one', (language) => {
    const { informal, formal, formalInInformal = formal } = registerMarkers[language]!;
    for (const kind of kinds) {
      for (const context of [full, minimal, reasonOnly]) {
        const polite = words(render(language, kind, context));
        const casual = words(render(`${language}/informal`, kind, context));
        expect(polite.match(informal)?.[0], `${language} ${kind}`).toBeUndefined();
        expect(casual.match(formalInInformal)?.[0], `${language}/informal ${kind}`).toBeUndefined();
      }
    }
  });

  it.each(variants)('%s: words a single other opening in the singular', (variant) => {
    for (const kind of kinds) {
      const withOpenings = (otherOpenings: string[]) =>
        render(variant, kind, { ...full, feedback: { ...full.feedback, nextSteps: { ...full.feedback.nextSteps, otherOpenings } } });
      const one = withOpenings(['Staff Engineer, Data']);
      const two = withOpenings(['Staff Engineer, Data', 'SECOND-OPENING']);
      const withoutSecond = (text: string) =>
        text
          .split('\n')
          .filter((line) => !line.includes('SECOND-OPENING'))
          .join('\n');
      expect(one.text, `${variant} ${kind}`).not.toBe(withoutSecond(two.text));
    }
    if (variant === 'en') {
      const { text } = render('en', 'rejection_after_interview', {
        ...full,
        feedback: { ...full.feedback, nextSteps: { ...full.feedback.nextSteps, otherOpenings: ['Staff Engineer'] } },
      });
      expect(text).toContain('Another opening that may suit you:');
      expect(text).toContain('If it interests you, just let us know.');
      expect(text).not.toContain('one of them');
    }
  });

  it.each(variants)('%s: never nests brackets in the role line', (variant) => {
    const context = { ...full, requisition: { title: 'Product Designer', department: 'Design (UX)', location: 'Berlin / Remote (EU)' } };
    for (const kind of kinds) {
      const out = render(variant, kind, context);
      const prose = flat(out.text.replace(/\n/g, ' '));
      if (prose.includes('Product Designer (')) expect(prose).toContain('(Design [UX], Berlin / Remote [EU])');
      expect(prose).not.toMatch(/\([^()]*\(/);
    }
  });

  it.each(variants)('%s: buttons and links take the accent colour, and the footer links the privacy policy and careers page', (variant) => {
    for (const kind of kinds) {
      const out = render(variant, kind, full);
      expect(out.html).not.toContain('#1d4ed8');
      expect(out.html).toContain('bgcolor="#7c2d12"');
      for (const link of [full.organization.privacyPolicyUrl, full.organization.careersUrl]) {
        expect(out.html).toContain(`href="${esc(link)}"`);
        expect(linesOf(out.text).some((line) => line === link || line.endsWith(` ${link}`))).toBe(true);
      }
      const none = render(variant, kind, minimal);
      expect(none.html).not.toContain('acme.example');
      expect(none.text).not.toMatch(/https:\/\/\S+(privacy|careers|jobs)/);
      const one = render(variant, kind, { ...minimal, organization: { ...minimal.organization, careersUrl: 'https://n.example/careers' } });
      expect(one.html).toContain('href="https://n.example/careers"');
      expect(one.html).not.toContain(' &middot; <a');
    }
  });

  // reasonLabel is a clause that completes "because ..." in its locale (German: verb-final, after "weil").
  const becauseFrames: Record<Locale, { label: string; frame: string }> = {
    en: { label: 'the position has been filled', frame: 'because the position has been filled.' },
    fr: { label: 'le poste a été pourvu', frame: 'parce que le poste a été pourvu.' },
    de: { label: 'die Stelle besetzt ist', frame: 'weil die Stelle besetzt ist.' },
    es: { label: 'el puesto ya se ha cubierto', frame: 'porque el puesto ya se ha cubierto.' },
    pt: { label: 'a vaga já foi preenchida', frame: 'porque a vaga já foi preenchida.' },
    it: { label: 'la posizione è già stata coperta', frame: 'perché la posizione è già stata coperta.' },
    nl: { label: 'de vacature al is ingevuld', frame: 'omdat de vacature al is ingevuld.' },
  };
  const withReason = (reasonCategory: string, reasonLabel: string): RenderContext => ({
    ...reasonOnly,
    feedback: { ...reasonOnly.feedback!, reasonCategory, reasonLabel },
  });

  it.each(variants)('%s: states the reason as a "because" clause, and leaves out "other" and tautologies', (locale) => {
    const { label, frame } = becauseFrames[languageOf(locale)];
    for (const kind of statesReason) {
      const out = render(locale, kind, withReason('position_filled', label));
      expectInText(out.text, frame);
      expect(flat(out.html)).toContain(frame);
      const other = render(locale, kind, withReason('other', 'CATCH-ALL-LABEL'));
      expect(other.html + other.text).not.toContain('CATCH-ALL-LABEL');
    }
    for (const [kind, category] of [
      ['position_on_hold', 'role_on_hold'],
      ['position_cancelled', 'role_cancelled'],
    ] as const) {
      const out = render(locale, kind, withReason(category, 'TAUTOLOGY-LABEL'));
      expect(out.html + out.text).not.toContain('TAUTOLOGY-LABEL');
    }
    for (const kind of ['status_update', 'talent_pool_invite'] as const) {
      const out = render(locale, kind, withReason('position_filled', 'NOT-SHOWN-LABEL'));
      expect(out.html + out.text).not.toContain('NOT-SHOWN-LABEL');
    }
  });

  // The largest feedback the schema allows (10 strengths and areas of 500 characters, 20 competencies,
  // a 2,000-character note) renders under bounded engines like the production renderer's.
  it('render the largest allowed feedback within render and memory limits', () => {
    const bounded = { strictVariables: true, strictFilters: true, ownPropertyOnly: true, renderLimit: 2_000, memoryLimit: 20_000_000 };
    const boundedHtml = registerFilters(new Liquid({ ...bounded, outputEscape: 'escape' }));
    const boundedPlain = registerFilters(new Liquid(bounded));
    const long = (n: number) => 'lorem ipsum dolor sit amet '.repeat(40).slice(0, n);
    const context: RenderContext = {
      ...full,
      feedback: {
        ...full.feedback,
        strengths: Array.from({ length: 10 }, () => long(500)),
        areasToImprove: Array.from({ length: 10 }, () => long(500)),
        competencies: Array.from({ length: 20 }, (_, i) => ({ name: `Competency ${i}`, rating: 3, comment: long(500) })),
        personalNote: long(1000) + '\n' + long(999),
        nextSteps: { otherOpenings: Array.from({ length: 10 }, () => long(300)), talentPoolInvite: true },
      },
    };
    for (const locale of variants) {
      for (const kind of kinds) {
        const text = boundedPlain.parseAndRenderSync(source(locale, kind, 'text'), context) as string;
        boundedHtml.parseAndRenderSync(source(locale, kind, 'html'), context);
        boundedPlain.parseAndRenderSync(source(locale, kind, 'subject'), context);
        for (const line of linesOf(text)) expect(line.length).toBeLessThanOrEqual(72);
      }
    }
  });

  describe.each(variants)('%s', (locale) => {
    describe.each(kinds)('%s', (kind) => {
      it('renders a full context with feedback', () => {
        const context = { ...full, links: { ...full.links, feedbackPage: full.links.feedbackPage.replace('xx', locale) } };
        const out = render(locale, kind, context);
        commonChecks(locale, kind, context, out);
        const feedback = context.feedback;

        // Every piece of feedback the recruiter approved reaches the candidate: escaped in HTML, verbatim in text.
        const pieces = [
          ...feedback.strengths,
          ...feedback.areasToImprove,
          ...feedback.competencies.flatMap((c) => [c.name, ...(c.comment ? [c.comment] : [])]),
          feedback.personalNote,
          ...feedback.nextSteps.otherOpenings,
        ];
        for (const piece of pieces) {
          expect(out.html).toContain(esc(piece));
          expectInText(out.text, piece);
        }
        expect(out.html).not.toContain(nasty);
        expect(out.html).toContain('&lt;b&gt;Tom &amp; &#34;Jerry&#34;&lt;/b&gt;');
        expectInText(out.text, nasty);
        expect(out.html).toContain('4/5');
        expect(out.text).toContain('4/5');

        if (statesReason.has(kind)) {
          expect(out.html).toContain(feedback.reasonLabel);
          expectInText(out.text, feedback.reasonLabel);
        }
        // The talent-pool invitation (a next step, or the message itself) carries its link.
        expect(out.html).toContain(`href="${esc(context.links.talentPool)}"`);
        expect(linesOf(out.text)).toContain(context.links.talentPool);
        if (kind === 'status_update' || kind === 'position_on_hold') {
          expect(out.html).toContain(context.status.expectedDecisionDate);
          expectInText(out.text, context.status.expectedDecisionDate);
        }
        // The role's department and location help when several openings share a title.
        expect(out.html).toContain('Platform');
        expect(out.text).toContain('Lisbon');
      });

      it('renders a minimal context: no feedback, no recruiter, no dates, no talent pool link', () => {
        const out = render(locale, kind, minimal);
        commonChecks(locale, kind, minimal, out);
        expect(out.html).not.toContain('<ul');
        expect(out.html).not.toContain('<h2');
        expect(out.html).not.toContain('mailto:');
        expect(out.html).not.toContain(' &middot; ');
        // The contact line falls back to the personal page and the hiring team.
        expect(out.html).toContain(`href="${esc(minimal.links.feedbackPage)}"`);
      });

      it('wraps long feedback items in the text part with a hanging indent', () => {
        const long = 'word '.repeat(40).trim();
        const context = { ...full, feedback: { ...full.feedback, strengths: [long] } };
        const { text } = render(locale, kind, context);
        const start = linesOf(text).findIndex((line) => line.startsWith('- word word'));
        expect(start).toBeGreaterThan(0);
        const next = linesOf(text)[start + 1] ?? '';
        expect(next.startsWith('  word')).toBe(true);
        expect(text.replace(/\n {2}/g, ' ')).toContain(`- ${long}`);
      });

      it('renders feedback that has only a reason, without empty sections', () => {
        const out = render(locale, kind, reasonOnly);
        commonChecks(locale, kind, reasonOnly, out);
        expect(out.html).not.toContain('<ul');
        expect(out.html).not.toContain('<h2');
        if (statesReason.has(kind)) {
          expect(out.html).toContain('REASON-ONLY-LABEL');
          expectInText(out.text, 'REASON-ONLY-LABEL');
        }
      });

      it('keeps the paragraphs of a multi-line personal note', () => {
        const context = {
          ...full,
          feedback: { ...full.feedback, personalNote: 'First paragraph & more.\r\n\r\nSecond <paragraph>.\nThird line.' },
        };
        const out = render(locale, kind, context);
        expect(out.html).toContain('>First paragraph &amp; more.</p>');
        expect(out.html).toContain('>Second &lt;paragraph&gt;.</p>');
        expect(out.html).toContain('>Third line.</p>');
        expect(out.text).toContain('First paragraph & more.');
        expect(out.text).toContain('Second <paragraph>.\nThird line.');
      });

      it('keeps the subject under 100 characters with long names', () => {
        const context = {
          ...minimal,
          organization: { name: 'Northwind Traders GmbH', accentColor: '#1d4ed8', privacyPolicyUrl: null, careersUrl: null, logoUrl: null }, // 22 characters
          requisition: { title: 'Senior Site Reliability Engineer II', department: null, location: null }, // 35
          feedback: reasonOnly.feedback,
        };
        const { subject } = render(locale, kind, context);
        expect(subject.length).toBeLessThan(100);
      });
    });
  });
});
