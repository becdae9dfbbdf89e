// What colleagues read from Hearback itself (notifications, their digest and nudge emails, the
// sign-in and invitation emails) in every language it ships, each in one register: Sie, vous and
// Lei; tú, você and je. A notification never mixes them with the emails around it.
import { describe, expect, it } from 'vitest';
import { registerMarkers } from '../../../test/helpers/registers.js';
import { invitationEmail, signInEmail } from '../people/people.emails.js';
import { catalogueLanguage, describeNotification, emailWordsFor, languages, notificationTypes, type Language } from './notifications.catalogue.js';

const due = new Date('2026-12-24T09:30:00Z');
const facts = [{}, { kind: 'deletion', count: 3, code: 'silence', condition: 'account_suspended' }, { kind: 'export', count: 1, code: 'lint_blocked', condition: 'x' }];

/** Everything a colleague reading `language` can be shown, as plain text. */
function everything(language: Language): string[] {
  const lines = notificationTypes.flatMap((type) =>
    facts.flatMap((detail) =>
      [null, due].map((dueAt) => {
        const { title, summary } = describeNotification({ type, detail, dueAt }, { language, timeZone: 'Europe/Amsterdam' });
        return `${title}\n${summary}`;
      }),
    ),
  );
  const words = emailWordsFor(language);
  const signIn = signInEmail(language, 'Rita Alves', 'https://hearback.test/s', 15);
  const invitation = invitationEmail(language, 'Rita Alves', 'Northwind', 'https://hearback.test/i', 72);
  return [
    ...lines,
    words.open,
    words.digestSubject(2),
    words.digestIntro,
    words.footer,
    ...[signIn, invitation].map((email) => `${email.subject}\n${email.text}\n${email.html.replace(/<[^>]*>/g, ' ')}`),
  ];
}

// The register each language's colleagues are addressed in.
const colleagues = { de: 'formal', fr: 'formal', it: 'formal', es: 'informal', nl: 'informal' } as const;

describe('what colleagues read', () => {
  it.each(languages)('%s: every notification has a title and a summary, without a gap where a fact was missing', (language) => {
    for (const text of everything(language)) {
      expect(text.trim()).not.toBe('');
      expect(text).not.toMatch(/\b(undefined|null|NaN)\b|\{\w+\}/);
    }
  });

  it.each(languages.filter((language) => language !== 'en'))('%s is its own language, not English', (language) => {
    expect(everything(language)).not.toEqual(everything('en'));
    const english = new Set(everything('en'));
    const untranslated = everything(language).filter((text) => english.has(text));
    expect(untranslated).toEqual([]);
  });

  it('reads a regional tag as its language and anything unshipped as English', () => {
    expect(['pt-BR', 'it-CH', 'nl-BE', 'fr-CA', 'de', 'ja', 'pt_PT'].map(catalogueLanguage)).toEqual(['pt', 'it', 'nl', 'fr', 'de', 'en', 'en']);
  });

  it.each(Object.entries(colleagues))('%s addresses colleagues %s only', (language, register) => {
    const markers = registerMarkers[language as keyof typeof colleagues];
    const other = register === 'formal' ? markers.informal : markers.formal;
    expect(register === 'formal' ? markers.informalSample : markers.formalSample).toMatch(other);
    for (const text of everything(language as Language)) expect(text.match(other)?.[0], text).toBeUndefined();
  });

  it('pt addresses colleagues as você, never tu', () => {
    const tu = /(^|[^\p{L}])(tu|teu|tua|teus|tuas|contigo|te)(?=$|[^\p{L}])/iu;
    expect('Obrigado pela tua ajuda').toMatch(tu);
    for (const text of everything('pt')) expect(text.match(tu)?.[0], text).toBeUndefined();
    expect(everything('pt').join('\n')).toMatch(/você/);
  });
});
