// The feedback lint engine: offsets into the original text, ordering and overlaps, the
// structured-feedback rules, the summary, and properties over arbitrary input. The term lists
// themselves are specified in terms.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { feedbackSchema, type Feedback } from '../feedback.schemas.js';
import { fold } from './fold.js';
import { lintFeedback, lintText, summarize, termLists, type Finding } from './lint.js';
import { findingSchema } from './lint.schemas.js';
import { compileGroup, expandPattern } from './terms.js';

const lint = (text: string, locale = 'en') => lintText(text, { locale });
const brief = (findings: Finding[]) => findings.map((f) => `${f.severity}:${f.code}:${f.excerpt}`);

describe('offsets', () => {
  it('point into the original text, whatever precedes the match', () => {
    for (const text of [
      '🎉🎉 Très bien, mais elle est enceinte.',
      'Hélène, 😀 l’âge du candidat importe peu.',
      'Trop a\u0302ge\u0301e pour nous.',
      'Ein weißer Mann, ÜBERQUALIFIZIERT.',
      'She is preg\u00adnant.',
      'She is ｐｒｅｇｎａｎｔ.',
    ]) {
      const findings = lint(text);
      expect(findings.length, text).toBeGreaterThan(0);
      for (const finding of findings) expect(text.slice(finding.start, finding.end)).toBe(finding.excerpt);
    }
    expect(lint('Trop a\u0302ge\u0301e.')[0]?.excerpt).toBe('Trop a\u0302ge\u0301e');
    expect(lint('Ein weißer Mann.')[0]?.excerpt).toBe('weißer Mann');
  });
});

describe('ordering and overlaps', () => {
  it('keeps one finding per stretch of text, the most severe and then the longest', () => {
    expect(brief(lint('A mature candidate.'))).toEqual(['block:protected_age:mature candidate']);
    expect(brief(lint('Un fort accent.'))).toHaveLength(1);
    expect(brief(lint('A pregnant woman.'))).toEqual(['block:protected_pregnancy_family:pregnant', 'block:protected_gender:woman']);
  });

  it('orders by offset and never overlaps', () => {
    const findings = lint('Not a culture fit: she is pregnant, married and has a strong accent.');
    expect(findings.map((f) => f.code)).toEqual(['vague_phrase', 'protected_pregnancy_family', 'protected_marital_status', 'protected_nationality_accent']);
  });

  it('writes messages in the locale, falling back to English', () => {
    expect(lint('pregnant', 'fr')[0]?.message).toMatch(/^« pregnant »/);
    expect(lint('pregnant', 'de-AT')[0]?.message).toMatch(/^„pregnant“/);
    expect(lint('pregnant', 'pt-BR')[0]?.message).toMatch(/^“pregnant” se refere/);
    expect(lint('pregnant', 'pl-PL')[0]?.message).toMatch(/^“pregnant” refers/);
  });
});

const feedback = (input: Record<string, unknown>): Feedback => feedbackSchema.parse({ reasonCategory: 'skills_gap', ...input });

describe('lintFeedback', () => {
  it('reports each finding with its field, in field order', () => {
    const findings = lintFeedback(
      feedback({
        strengths: ['Clear communicator.', 'Great energy for a woman.'],
        areasToImprove: ['Go deeper on caching; not a culture fit.'],
        competencies: [{ name: 'System design', rating: 2, comment: 'He is overqualified.' }],
        personalNote: 'Best of luck with the new baby!',
        nextSteps: { otherOpenings: ['Junior role for young and dynamic people'] },
      }),
      { locale: 'en' },
    );
    expect(findings.map((f) => `${f.field}:${f.code}`)).toEqual([
      'strengths.1:protected_gender',
      'areasToImprove.0:vague_phrase',
      'competencies.0.comment:protected_age',
      'personalNote:protected_pregnancy_family',
      'nextSteps.otherOpenings.0:protected_age',
    ]);
    for (const finding of findings) expect(findingSchema.parse(finding)).toEqual(finding);
  });

  it('flags feedback with nothing to act on, after the strengths', () => {
    const findings = lintFeedback(feedback({ strengths: ['Great energy for a woman.'], competencies: [{ name: 'SQL', rating: 4, comment: 'Good.' }] }), {
      locale: 'en',
    });
    expect(findings.map((f) => `${f.field}:${f.code}:${f.severity}`)).toEqual(['strengths.0:protected_gender:block', 'areasToImprove:no_actionable_improvement:warn']);
    expect(findings[1]).toMatchObject({ start: 0, end: 0, excerpt: '' });
  });

  it('accepts a commented low rating as the improvement, and notes only when the reason is not the candidate', () => {
    const codes = (input: Record<string, unknown>) => lintFeedback(feedback(input), { locale: 'en' }).map((f) => `${f.code}:${f.severity}`);
    expect(codes({ competencies: [{ name: 'SQL', rating: 3, comment: 'Practise window functions.' }] })).toEqual([]);
    expect(codes({ competencies: [{ name: 'SQL', rating: 2 }] })).toEqual(['no_actionable_improvement:warn']);
    expect(codes({ reasonCategory: 'experience_level' })).toEqual(['no_actionable_improvement:warn']);
    expect(codes({ reasonCategory: 'hiring_freeze' })).toEqual(['no_actionable_improvement:info']);
    expect(codes({ areasToImprove: ['Practise system design.'] })).toEqual([]);
    expect(codes({ reasonCategory: 'position_filled' })).toEqual(['no_actionable_improvement:info']);
  });

  it('asks nothing to improve of a message about the role: on hold, cancelled', () => {
    const codes = (kind: string, reasonCategory = 'skills_gap') => lintFeedback(feedback({ reasonCategory, strengths: ['Clear.'] }), { locale: 'en', kind }).map((f) => f.code);
    expect(codes('position_on_hold', 'role_on_hold')).toEqual([]);
    expect(codes('position_cancelled', 'role_cancelled')).toEqual([]);
    expect(codes('position_cancelled')).toEqual([]);
    expect(codes('rejection_after_interview')).toEqual(['no_actionable_improvement']);
  });
});

describe('language mismatch', () => {
  const german = {
    strengths: ['Sie hat die Architektur sehr klar erklärt und war gut vorbereitet.'],
    areasToImprove: ['Mehr Erfahrung mit Kubernetes wäre für die Rolle wichtig, auch im Betrieb.'],
  };
  const mismatch = (input: Record<string, unknown>, locale: string) => lintFeedback(feedback(input), { locale }).filter((f) => f.code === 'language_mismatch');

  it('warns when the feedback is in another language than the message, in the message’s language', () => {
    const [finding] = mismatch(german, 'en');
    expect(finding).toMatchObject({ severity: 'warn', category: 'clarity', field: 'strengths.0', start: 0, end: 0, excerpt: '' });
    expect(finding!.message).toContain('German');
    expect(findingSchema.parse(finding)).toEqual(finding);
    expect(mismatch(german, 'fr')[0]!.message).toContain('allemand');
    expect(mismatch(german, 'es-MX')[0]!.message).toContain('alemán');
    const english = {
      strengths: ['She explained the architecture very clearly and was well prepared for the interview.'],
      areasToImprove: ['More experience with the operations side of Kubernetes.'],
    };
    expect(mismatch(english, 'de')[0]!.message).toContain('auf Englisch');
    const spanish = {
      strengths: ['Explicó la arquitectura con mucha claridad y fue muy puntual.'],
      areasToImprove: ['Le falta experiencia con Kubernetes para el puesto, pero tiene una base sólida.'],
    };
    expect(mismatch(spanish, 'fr')[0]!.message).toContain('espagnol');
    const portuguese = {
      strengths: ['Ela explicou a arquitetura com muita clareza e foi muito objetiva nas respostas.'],
      areasToImprove: ['Ainda não tem experiência com Kubernetes, mas isso se aprende bem com o tempo.'],
    };
    expect(mismatch(portuguese, 'en')[0]!.message).toContain('Portuguese');
    expect(mismatch(portuguese, 'es')[0]!.message).toContain('portugués');
    expect(mismatch(spanish, 'pt-BR')[0]!.message).toMatch(/escrito em espanhol, mas a mensagem está em português/);
    expect(mismatch(portuguese, 'pt-PT')).toEqual([]);
    const italian = {
      strengths: ['Ha spiegato molto bene l’architettura e anche i compromessi della soluzione che ha proposto.'],
      areasToImprove: ['Le manca ancora esperienza pratica nella gestione di Kubernetes, che per questo ruolo è importante.'],
    };
    const dutch = {
      strengths: ['Ze heeft de architectuur heel helder uitgelegd en was goed voorbereid op het gesprek.'],
      areasToImprove: ['Meer ervaring met Kubernetes zou voor deze functie wel nodig zijn.'],
    };
    expect(mismatch(italian, 'en')[0]!.message).toContain('Italian');
    expect(mismatch(dutch, 'en')[0]!.message).toContain('Dutch');
    expect(mismatch(dutch, 'it')[0]!.message).toMatch(/scritto in olandese, ma il messaggio è in italiano/);
    expect(mismatch(english, 'nl-BE')[0]!.message).toMatch(/in het Engels geschreven, maar het bericht is in het Nederlands/);
    expect(mismatch(italian, 'it-CH')).toEqual([]);
    expect(mismatch(dutch, 'nl')).toEqual([]);
  });

  it('stays quiet when the languages agree, and when there is too little to tell', () => {
    expect(mismatch(german, 'de-AT')).toEqual([]);
    expect(mismatch({ strengths: ['Kubernetes, Terraform, Go.'], areasToImprove: ['SQL'] }, 'fr')).toEqual([]);
    expect(mismatch({ strengths: ['Sehr gut.'], areasToImprove: ['Mehr Tests.'] }, 'en')).toEqual([]);
    // An English note with one French phrase in it is still English.
    const mixed = {
      strengths: ['The walkthrough was clear and the trade-offs were well argued, a real savoir-faire.'],
      areasToImprove: ['Go deeper on the data model and its migrations.'],
    };
    expect(mismatch(mixed, 'en')).toEqual([]);
  });
});

describe('summarize', () => {
  it('counts by severity and names the highest', () => {
    expect(summarize([])).toEqual({ block: 0, warn: 0, info: 0, highest: null });
    expect(summarize(lint('Not the right fit; needs a visa.'))).toEqual({ block: 0, warn: 1, info: 1, highest: 'warn' });
    expect(summarize(lint('Pregnant; not the right fit.')).highest).toBe('block');
  });
});

describe('term lists', () => {
  it('are written folded, compile, and reject a lazy separator', () => {
    for (const list of termLists) {
      for (const group of list.groups) {
        expect(() => compileGroup(group.patterns)).not.toThrow();
        for (const pattern of group.patterns) expect(fold(pattern).text, `${list.language}: ${pattern}`).toBe(pattern);
      }
    }
    expect(() => expandPattern('over ?qualified')).toThrow(/optional separator/);
  });
});

describe('properties', () => {
  const words = ['pregnant', 'enceinte', 'Kopftuch', 'not a culture fit', 'manager', 'âgée', 'young', 'team', '-', '😀', 'e\u0301', '\u00ad'];
  const text = fc.array(fc.oneof(fc.constantFrom(...words), fc.string({ unit: 'binary', maxLength: 8 })), { maxLength: 30 }).map((parts) => parts.join(' '));

  it('never throws; spans lie within the text, match their excerpt, come in order and never overlap', () => {
    fc.assert(
      fc.property(text, fc.constantFrom('en', 'fr', 'de', 'es', 'xx'), (input, locale) => {
        const findings = lintText(input, { locale });
        let previousEnd = 0;
        for (const finding of findings) {
          expect(finding.start).toBeGreaterThanOrEqual(previousEnd);
          expect(finding.end).toBeGreaterThan(finding.start);
          expect(finding.end).toBeLessThanOrEqual(input.length);
          expect(input.slice(finding.start, finding.end)).toBe(finding.excerpt);
          previousEnd = finding.end;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('judges a text seen before exactly as the first time, in any field, locale or order (matches are kept per text)', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 4 }), fc.constantFrom('en', 'fr', 'de'), (texts, locale) => {
        const first = texts.map((t) => lintText(t, { locale }));
        // The same texts again, in reverse, after other locales have seen them.
        for (const t of texts) lintText(t, { locale: 'es' });
        expect([...texts].reverse().map((t) => lintText(t, { locale }))).toEqual([...first].reverse());
        const feedback: Feedback = {
          reasonCategory: 'skills_gap',
          strengths: texts,
          areasToImprove: texts,
          competencies: [],
          nextSteps: { otherOpenings: [], talentPoolInvite: false },
        };
        // Only the text's own findings (a language mismatch is about all the feedback).
        const findings = lintFeedback(feedback, { locale }).filter((f) => f.code !== 'language_mismatch');
        const inField = (field: string) => findings.filter((f) => f.field === field).map((f) => ({ ...f, field: undefined }));
        for (const [index, t] of texts.entries()) {
          const expected = lintText(t, { locale }).map((f) => ({ ...f, field: undefined }));
          expect(inField(`strengths.${index}`)).toEqual(expected);
          expect(inField(`areasToImprove.${index}`)).toEqual(expected);
        }
      }),
      { numRuns: 200 },
    );
  });
});
