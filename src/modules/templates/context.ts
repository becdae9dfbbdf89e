// What a template may read. Every key is always present (absent values are null or empty
// lists), so templates run in strict mode: a misspelt variable is an error, never a blank.
import type { Feedback } from '../feedback/feedback.schemas.js';

export interface TemplateContext {
  candidate: { name: string; firstName: string };
  /** accentColor: #rrggbb, checked for contrast when set; the links are https or null; logoUrl is Hearback's own absolute URL of the logo, or null. */
  organization: { name: string; accentColor: string; privacyPolicyUrl: string | null; careersUrl: string | null; logoUrl: string | null };
  requisition: { title: string; department: string | null; location: string | null };
  recruiter: { name: string | null; email: string | null };
  feedback: null | {
    reasonCategory: string;
    reasonLabel: string;
    strengths: string[];
    areasToImprove: string[];
    competencies: { name: string; rating: number; comment: string | null }[];
    personalNote: string | null;
    nextSteps: { otherOpenings: string[]; talentPoolInvite: boolean };
  };
  status: { expectedDecisionDate: string | null };
  links: { feedbackPage: string; talentPool: string | null };
}

/** The shape of the context as a tree of allowed paths: `true` is a leaf, `[tree]` a list. */
export type Shape = true | { [key: string]: Shape } | [Shape];

export const contextShape: Shape = {
  candidate: { name: true, firstName: true },
  organization: { name: true, accentColor: true, privacyPolicyUrl: true, careersUrl: true, logoUrl: true },
  requisition: { title: true, department: true, location: true },
  recruiter: { name: true, email: true },
  feedback: {
    reasonCategory: true,
    reasonLabel: true,
    strengths: [true],
    areasToImprove: [true],
    competencies: [{ name: true, rating: true, comment: true }],
    personalNote: true,
    nextSteps: { otherOpenings: [true], talentPoolInvite: true },
  },
  status: { expectedDecisionDate: true },
  links: { feedbackPage: true, talentPool: true },
};

export const supportedLocales = ['en', 'fr', 'de', 'es', 'pt', 'it', 'nl'] as const;
export type SupportedLocale = (typeof supportedLocales)[number];

/** Whether a BCP 47 tag's language has shipped templates (`fr-CA` does, `pl-PL` does not). */
export const isShippedLanguage = (locale: string) => (supportedLocales as readonly string[]).includes(locale.toLowerCase().split('-')[0]!);

/** The closest shipped language for a BCP 47 tag (`fr-CA` → `fr`), English otherwise. */
export function baseLocale(locale: string | null | undefined): SupportedLocale {
  const language = (locale ?? 'en').toLowerCase().split('-')[0] as SupportedLocale;
  return supportedLocales.includes(language) ? language : 'en';
}

/**
 * Each label is a clause that follows "because" in its language (because / parce que / weil /
 * porque / porque / perché / omdat): German and Dutch put the verb last. The shipped templates never print `other`, whose
 * reason is in the feedback itself. Labels never address the candidate (no you/vous/Sie/tú),
 * so one label fits both registers of a language.
 */
const reasonLabels: Record<SupportedLocale, Record<string, string>> = {
  en: {
    position_filled: 'the position has been filled',
    skills_gap: 'some skills the role needs were not yet there',
    experience_level: 'the role needs a different level of experience',
    internal_candidate: 'the role went to an internal candidate',
    hiring_freeze: 'hiring has been frozen',
    role_cancelled: 'the role has been cancelled',
    candidate_withdrew: 'you withdrew your application',
    role_on_hold: 'the role is on hold',
    other: 'of the decision explained below',
  },
  fr: {
    position_filled: 'le poste a été pourvu',
    skills_gap: 'certaines compétences clés du poste ne sont pas encore acquises',
    experience_level: 'le poste demande un autre niveau d’expérience',
    internal_candidate: 'le poste a été confié à une personne en interne',
    hiring_freeze: 'les recrutements sont gelés',
    role_cancelled: 'le poste a été supprimé',
    candidate_withdrew: 'la candidature a été retirée',
    role_on_hold: 'le recrutement est suspendu',
    other: 'de la décision expliquée ci-dessous',
  },
  de: {
    position_filled: 'die Stelle besetzt ist',
    skills_gap: 'einige für die Rolle nötige Fähigkeiten noch fehlen',
    experience_level: 'die Rolle ein anderes Erfahrungsniveau erfordert',
    internal_candidate: 'die Stelle intern besetzt wurde',
    hiring_freeze: 'ein Einstellungsstopp gilt',
    role_cancelled: 'die Stelle gestrichen wurde',
    candidate_withdrew: 'die Bewerbung zurückgezogen wurde',
    role_on_hold: 'die Besetzung pausiert',
    other: 'der unten erläuterten Entscheidung',
  },
  es: {
    position_filled: 'el puesto ya se ha cubierto',
    skills_gap: 'todavía faltan algunas habilidades que el puesto necesita',
    experience_level: 'el puesto requiere otro nivel de experiencia',
    internal_candidate: 'el puesto se ha cubierto internamente',
    hiring_freeze: 'las contrataciones están congeladas',
    role_cancelled: 'el puesto se ha cancelado',
    candidate_withdrew: 'la candidatura se ha retirado',
    role_on_hold: 'el proceso está en pausa',
    other: 'la decisión que se explica abajo',
  },
  pt: {
    position_filled: 'a vaga já foi preenchida',
    skills_gap: 'ainda faltam algumas competências de que a vaga precisa',
    experience_level: 'a vaga exige outro nível de experiência',
    internal_candidate: 'a vaga foi preenchida internamente',
    hiring_freeze: 'as contratações estão congeladas',
    role_cancelled: 'a vaga foi cancelada',
    candidate_withdrew: 'a candidatura foi retirada',
    role_on_hold: 'o processo está em pausa',
    other: 'a decisão que explicamos abaixo',
  },
  it: {
    position_filled: 'la posizione è già stata coperta',
    skills_gap: 'mancano ancora alcune competenze richieste dal ruolo',
    experience_level: 'il ruolo richiede un diverso livello di esperienza',
    internal_candidate: 'la posizione è stata coperta internamente',
    hiring_freeze: 'le assunzioni sono sospese',
    role_cancelled: 'la posizione è stata cancellata',
    candidate_withdrew: 'la candidatura è stata ritirata',
    role_on_hold: 'la selezione è sospesa',
    other: 'la decisione spiegata qui sotto',
  },
  nl: {
    position_filled: 'de vacature al is ingevuld',
    skills_gap: 'enkele vaardigheden die de functie vraagt nog ontbreken',
    experience_level: 'de functie een ander ervaringsniveau vraagt',
    internal_candidate: 'de functie intern is ingevuld',
    hiring_freeze: 'er een vacaturestop geldt',
    role_cancelled: 'de functie is geschrapt',
    candidate_withdrew: 'de sollicitatie is ingetrokken',
    role_on_hold: 'de werving is gepauzeerd',
    other: 'het besluit dat hieronder wordt toegelicht',
  },
};

export function reasonLabel(category: string, locale: SupportedLocale): string {
  return reasonLabels[locale][category] ?? reasonLabels[locale].other!;
}

export function feedbackContext(feedback: Feedback | null | undefined, locale: SupportedLocale): TemplateContext['feedback'] {
  if (!feedback) return null;
  return {
    reasonCategory: feedback.reasonCategory,
    reasonLabel: reasonLabel(feedback.reasonCategory, locale),
    strengths: feedback.strengths,
    areasToImprove: feedback.areasToImprove,
    competencies: feedback.competencies.map((c) => ({ name: c.name, rating: c.rating, comment: c.comment ?? null })),
    personalNote: feedback.personalNote ?? null,
    nextSteps: { otherOpenings: feedback.nextSteps?.otherOpenings ?? [], talentPoolInvite: feedback.nextSteps?.talentPoolInvite ?? false },
  };
}

/** Sample data for previews and for checking templates: one rich context, one sparse. */
export function sampleContexts(locale: SupportedLocale, publicBaseUrl: string): { full: TemplateContext; minimal: TemplateContext } {
  const base = {
    candidate: { name: 'Alex Morgan', firstName: 'Alex' },
    organization: {
      name: 'Northwind',
      accentColor: '#1d4ed8',
      privacyPolicyUrl: 'https://northwind.example/privacy',
      careersUrl: 'https://northwind.example/careers',
      logoUrl: null as string | null,
    },
    requisition: { title: 'Senior Backend Engineer', department: 'Platform', location: 'Remote (EU)' },
    links: { feedbackPage: `${publicBaseUrl}/f/sample`, talentPool: `${publicBaseUrl}/f/sample#talent-pool` },
  };
  return {
    full: {
      ...base,
      recruiter: { name: 'Sam Lee', email: 'sam.lee@northwind.example' },
      feedback: feedbackContext(
        {
          reasonCategory: 'experience_level',
          strengths: ['Clear, well-structured system design', 'Thoughtful questions about on-call'],
          areasToImprove: ['Hands-on experience running Kubernetes in production'],
          competencies: [{ name: 'System design', rating: 4, comment: 'Solid trade-offs under time pressure' }],
          personalNote: 'It was a pleasure talking with you.',
          nextSteps: { otherOpenings: ['Backend Engineer (mid-level)'], talentPoolInvite: true },
        },
        locale,
      ),
      status: { expectedDecisionDate: new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date('2026-12-15T12:00:00Z')) },
    },
    minimal: { ...base, recruiter: { name: null, email: null }, feedback: null, status: { expectedDecisionDate: null }, links: { ...base.links, talentPool: null } },
  };
}
