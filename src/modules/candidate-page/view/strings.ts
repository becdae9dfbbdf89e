// Every word the candidate's page shows, in every shipped language. Each language lives in
// its own file (strings.<locale>.ts) so a translator reads one voice top to bottom; this file
// is the shape they all fill and the one place the view looks words up. Values are plain text
// with `{placeholders}`: the view escapes the text and fills the placeholders (fill in html.ts).
// Voice: warm and direct; the candidate is addressed formally (vous, Sie, usted, Lei, u; você, the one
// courteous register of Portuguese) unless the
// organization chose the informal register for a language that ships it (templates/formality.ts).
import type { SupportedLocale } from '../../templates/context.js';
import type { Formality } from '../../templates/formality.js';
import type { DecisionKey, NoticeKey } from './model.js';
import { de } from './strings.de.js';
import { deInformal } from './strings.de.informal.js';
import { en } from './strings.en.js';
import { es } from './strings.es.js';
import { esInformal } from './strings.es.informal.js';
import { fr } from './strings.fr.js';
import { frInformal } from './strings.fr.informal.js';
import { it } from './strings.it.js';
import { itInformal } from './strings.it.informal.js';
import { nl } from './strings.nl.js';
import { nlInformal } from './strings.nl.informal.js';
import { pt } from './strings.pt.js';

export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

export interface PageStrings {
  page: {
    /** <title>: {role}, {company}. */
    title: string;
    skipLink: string;
    personalPage: string;
    /** h1: {role}. */
    heading: string;
    /** {firstName}, {name}: each language picks the one it greets with. */
    greeting: string;
    status: string;
    /** {date}. */
    sentOn: string;
    footer: string;
    /** Shown when the organization tracks email opens: {company}. */
    opensTracked: string;
    /** Footer links to the organization's own pages; careers: {company}. */
    privacyPolicy: string;
    careers: string;
  };
  /** Short status per decision, after "Status:". */
  decisionStatus: Record<DecisionKey, string>;
  /** The decision itself: {role}, {company}, {reason} (the `because` clause or nothing). */
  decisionLead: Record<DecisionKey, string>;
  decisionDetail: Record<DecisionKey, string>;
  /** Joins a reason label (a clause that follows "because"): {label}. */
  because: string;
  pending: { heading: string; body: string };
  feedback: {
    heading: string;
    intro: string;
    strengths: string;
    areasToImprove: string;
    competencies: string;
    /** {rating}. */
    competencyRating: string;
    /** {name}. */
    personalNoteFrom: string;
    personalNoteFromTeam: string;
    none: string;
  };
  /** Worded by the number of openings (Intl.PluralRules): `other` always, `one` where the language has it. */
  nextSteps: { heading: string; otherOpenings: PluralForms; otherOpeningsHint: PluralForms };
  contact: {
    heading: string;
    /** {name}, {email}. */
    nameAndEmail: string;
    /** {email}. */
    emailOnly: string;
    /** {name}. */
    nameOnly: string;
  };
  talentPool: {
    heading: string;
    /** {company}. */
    invite: string;
    /** {company}: the consent itself, recorded word for word (talentPoolConsentText). */
    consent: string;
    join: string;
    /** {company}. */
    member: string;
    leave: string;
  };
  rating: {
    heading: string;
    legend: string;
    /** The five choices, 1 to 5. */
    scale: [string, string, string, string, string];
    comment: string;
    commentHint: string;
    submit: string;
    update: string;
    /** {value}. */
    current: string;
  };
  questions: {
    heading: string;
    intro: string;
    history: string;
    /** Above each question asked before. */
    yourQuestion: string;
    answer: string;
    /** {date}. */
    askedOn: string;
    /** {date}. */
    answeredOn: string;
    awaiting: string;
    /** The new question's field: worded apart from `yourQuestion`, which labels the earlier ones. */
    label: string;
    /** {max}. */
    hint: string;
    submit: string;
    oneAtATime: string;
  };
  /** The email telling the candidate their question was answered: {role}, {company}. */
  answerEmail: {
    subject: string;
    intro: string;
    linkIntro: string;
    linkText: string;
    signOff: string;
  };
  /** The acknowledgement of a new application: {role}, {company}; `promise` also {date}. */
  acknowledgementEmail: {
    subject: string;
    received: string;
    promise: string;
    noPromise: string;
    signOff: string;
  };
  data: {
    heading: string;
    /** {company}. */
    intro: string;
    exportSubmit: string;
    deletionHint: string;
    deletionConfirm: string;
    deletionSubmit: string;
    requests: string;
    kindExport: string;
    kindDeletion: string;
    /** {date}. */
    requestedOn: string;
    statusPending: string;
    statusCompleted: string;
  };
  notices: Record<NoticeKey, string>;
  unavailable: { title: string; heading: string; body: string; help: string };
  /** Too many requests from one address: the body is `notices.rate_limited`. */
  busy: { title: string; heading: string };
}

const tables: Record<SupportedLocale, PageStrings> = { en, fr, de, es, pt, it, nl };
const informalTables: Partial<Record<SupportedLocale, PageStrings>> = { de: deInformal, es: esInformal, fr: frInformal, it: itInformal, nl: nlInformal };

/** The page's words in a shipped language and register (a one-register language ignores it). */
export const pageStrings = (locale: SupportedLocale, formality: Formality = 'formal'): PageStrings =>
  (formality === 'informal' ? informalTables[locale] : undefined) ?? tables[locale];

/**
 * The talent-pool consent exactly as the page shows it, as plain text. The route records this
 * string (with the time and the locale) when the candidate joins: recompute it from the
 * locale the form posts back and the company's name, never take it from the request body.
 */
export function talentPoolConsentText(locale: SupportedLocale, companyName: string): string {
  return tables[locale].talentPool.consent.replaceAll('{company}', () => companyName);
}
