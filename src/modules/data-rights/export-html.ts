// The export as a page a person can read, in their language: the same records as the JSON, laid
// out by section, in the register of their message and page (templates/formality.ts). Markup only
// through candidate-page/view/html.ts (every value escaped).
import { html, type SafeHtml } from '../candidate-page/view/html.js';
import type { SupportedLocale } from '../templates/context.js';
import { inRegister, type Formality, type TwoRegisterLocale } from '../templates/formality.js';
import type { ExportBundle } from './export.js';

interface ExportStrings {
  title: string;
  intro: string;
  profile: string;
  applications: string;
  decisions: string;
  messages: string;
  feedback: string;
  pageEvents: string;
  questions: string;
  ratings: string;
  consents: string;
  requests: string;
  none: string;
  json: string;
}

const STRINGS: Record<SupportedLocale, ExportStrings> = {
  en: {
    title: 'Your data',
    intro: 'Everything {company} keeps about you in Hearback, as of',
    profile: 'Profile',
    applications: 'Applications',
    decisions: 'Decisions',
    messages: 'Messages sent to you',
    feedback: 'Feedback',
    pageEvents: 'What you did on your page',
    questions: 'Questions and answers',
    ratings: 'Your ratings',
    consents: 'Talent pool consent (the exact text you agreed to)',
    requests: 'Your data requests',
    none: 'Nothing.',
    json: 'The same data, machine-readable: download the JSON file.',
  },
  fr: {
    title: 'Vos données',
    intro: 'Tout ce que {company} conserve à votre sujet dans Hearback, au',
    profile: 'Profil',
    applications: 'Candidatures',
    decisions: 'Décisions',
    messages: 'Messages qui vous ont été envoyés',
    feedback: 'Retour',
    pageEvents: 'Ce que vous avez fait sur votre page',
    questions: 'Questions et réponses',
    ratings: 'Vos évaluations',
    consents: 'Consentement au vivier de talents (le texte exact accepté)',
    requests: 'Vos demandes concernant vos données',
    none: 'Rien.',
    json: 'Les mêmes données, lisibles par une machine : téléchargez le fichier JSON.',
  },
  de: {
    title: 'Ihre Daten',
    intro: 'Alles, was {company} in Hearback über Sie speichert, Stand',
    profile: 'Profil',
    applications: 'Bewerbungen',
    decisions: 'Entscheidungen',
    messages: 'An Sie gesendete Nachrichten',
    feedback: 'Feedback',
    pageEvents: 'Was Sie auf Ihrer Seite getan haben',
    questions: 'Fragen und Antworten',
    ratings: 'Ihre Bewertungen',
    consents: 'Einwilligung in den Talentpool (der genaue Text, dem Sie zugestimmt haben)',
    requests: 'Ihre Datenanfragen',
    none: 'Nichts.',
    json: 'Dieselben Daten maschinenlesbar: Laden Sie die JSON-Datei herunter.',
  },
  es: {
    title: 'Sus datos',
    intro: 'Todo lo que {company} guarda sobre usted en Hearback, a fecha de',
    profile: 'Perfil',
    applications: 'Candidaturas',
    decisions: 'Decisiones',
    messages: 'Mensajes que se le enviaron',
    feedback: 'Comentarios',
    pageEvents: 'Lo que hizo en su página',
    questions: 'Preguntas y respuestas',
    ratings: 'Sus valoraciones',
    consents: 'Consentimiento para la bolsa de talento (el texto exacto que aceptó)',
    requests: 'Sus solicitudes sobre sus datos',
    none: 'Nada.',
    json: 'Los mismos datos, legibles por máquina: descargue el archivo JSON.',
  },
  pt: {
    title: 'Seus dados',
    intro: 'Tudo o que a {company} guarda sobre você no Hearback, em',
    profile: 'Perfil',
    applications: 'Candidaturas',
    decisions: 'Decisões',
    messages: 'Mensagens enviadas a você',
    feedback: 'Comentários',
    pageEvents: 'O que você fez na sua página',
    questions: 'Perguntas e respostas',
    ratings: 'Suas avaliações',
    consents: 'Consentimento para o banco de talentos (o texto exato que você aceitou)',
    requests: 'Seus pedidos sobre os seus dados',
    none: 'Nada.',
    json: 'Os mesmos dados, legíveis por máquina: baixe o arquivo JSON.',
  },
  it: {
    title: 'I suoi dati',
    intro: 'Tutto ciò che {company} conserva su di lei in Hearback, aggiornato al',
    profile: 'Profilo',
    applications: 'Candidature',
    decisions: 'Decisioni',
    messages: 'Messaggi che le sono stati inviati',
    feedback: 'Commenti',
    pageEvents: 'Cosa ha fatto sulla sua pagina',
    questions: 'Domande e risposte',
    ratings: 'Le sue valutazioni',
    consents: 'Consenso per il talent pool (il testo esatto che ha accettato)',
    requests: 'Le sue richieste sui suoi dati',
    none: 'Nulla.',
    json: 'Gli stessi dati, leggibili da una macchina: scarichi il file JSON.',
  },
  nl: {
    title: 'Uw gegevens',
    intro: 'Alles wat {company} in Hearback over u bewaart, per',
    profile: 'Profiel',
    applications: 'Sollicitaties',
    decisions: 'Besluiten',
    messages: 'Berichten die u zijn gestuurd',
    feedback: 'Feedback',
    pageEvents: 'Wat u op uw pagina hebt gedaan',
    questions: 'Vragen en antwoorden',
    ratings: 'Uw beoordelingen',
    consents: 'Toestemming voor de talentpool (de exacte tekst waarmee u akkoord ging)',
    requests: 'Uw verzoeken over uw gegevens',
    none: 'Niets.',
    json: 'Dezelfde gegevens, machineleesbaar: download het JSON-bestand.',
  },
};

// The informal words that differ; the section names that address nobody read the same in both.
const INFORMAL: Record<TwoRegisterLocale, ExportStrings> = {
  fr: {
    ...STRINGS.fr,
    title: 'Tes données',
    intro: 'Tout ce que {company} conserve à ton sujet dans Hearback, au',
    messages: 'Messages qui t’ont été envoyés',
    pageEvents: 'Ce que tu as fait sur ta page',
    ratings: 'Tes évaluations',
    requests: 'Tes demandes concernant tes données',
    json: 'Les mêmes données, lisibles par une machine : télécharge le fichier JSON.',
  },
  de: {
    ...STRINGS.de,
    title: 'Deine Daten',
    intro: 'Alles, was {company} in Hearback über dich speichert, Stand',
    messages: 'An dich gesendete Nachrichten',
    pageEvents: 'Was du auf deiner Seite getan hast',
    ratings: 'Deine Bewertungen',
    consents: 'Einwilligung in den Talentpool (der genaue Text, dem du zugestimmt hast)',
    requests: 'Deine Datenanfragen',
    json: 'Dieselben Daten maschinenlesbar: Lade die JSON-Datei herunter.',
  },
  es: {
    ...STRINGS.es,
    title: 'Tus datos',
    intro: 'Todo lo que {company} guarda sobre ti en Hearback, a fecha de',
    messages: 'Mensajes que se te enviaron',
    pageEvents: 'Lo que hiciste en tu página',
    ratings: 'Tus valoraciones',
    consents: 'Consentimiento para la bolsa de talento (el texto exacto que aceptaste)',
    requests: 'Tus solicitudes sobre tus datos',
    json: 'Los mismos datos, legibles por máquina: descarga el archivo JSON.',
  },
  it: {
    ...STRINGS.it,
    title: 'I tuoi dati',
    intro: 'Tutto ciò che {company} conserva su di te in Hearback, aggiornato al',
    messages: 'Messaggi che ti sono stati inviati',
    pageEvents: 'Cosa hai fatto sulla tua pagina',
    ratings: 'Le tue valutazioni',
    consents: 'Consenso per il talent pool (il testo esatto che hai accettato)',
    requests: 'Le tue richieste sui tuoi dati',
    json: 'Gli stessi dati, leggibili da una macchina: scarica il file JSON.',
  },
  nl: {
    ...STRINGS.nl,
    title: 'Je gegevens',
    intro: 'Alles wat {company} in Hearback over je bewaart, per',
    messages: 'Berichten die je zijn gestuurd',
    pageEvents: 'Wat je op je pagina hebt gedaan',
    ratings: 'Je beoordelingen',
    consents: 'Toestemming voor de talentpool (de exacte tekst waarmee je akkoord ging)',
    requests: 'Je verzoeken over je gegevens',
  },
};

/** A value as text: dates in ISO 8601, objects as indented JSON. */
function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2);
}

function table(rows: readonly object[], none: string): SafeHtml {
  if (rows.length === 0) return html`<p>${none}</p>`;
  return html`${rows.map(
    (row) =>
      html`<dl>
        ${Object.entries(row).map(([key, value]) => html`<dt>${key}</dt><dd><pre>${show(value)}</pre></dd>`)}
      </dl>`,
  )}`;
}

export function exportHtml(bundle: ExportBundle, locale: SupportedLocale, formality: Formality, jsonUrl: string | null): string {
  const s = inRegister(STRINGS, INFORMAL, locale, formality);
  const section = (title: string, rows: readonly object[]) => html`<section><h2>${title}</h2>${table(rows, s.none)}</section>`;
  const page = html`<!doctype html>
<html lang="${locale}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="robots" content="noindex" />
    <title>${s.title}</title>
    <style>
      body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #111; }
      dl { border: 1px solid #ccc; border-radius: 4px; padding: 0.5rem 1rem; display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
      dt { font-weight: 600; } dd { margin: 0; } pre { margin: 0; white-space: pre-wrap; word-break: break-word; font: inherit; }
    </style>
  </head>
  <body>
    <h1>${s.title}</h1>
    <p>${s.intro.replace('{company}', bundle.organization.name)} ${bundle.generatedAt}</p>
    ${jsonUrl ? html`<p><a href="${jsonUrl}">${s.json}</a></p>` : null}
    ${section(s.profile, bundle.candidates)} ${section(s.applications, bundle.applications)} ${section(s.decisions, bundle.decisions)}
    ${section(s.messages, bundle.messages)} ${section(s.pageEvents, bundle.pageEvents)} ${section(s.questions, bundle.questions)}
    ${section(s.ratings, bundle.ratings)} ${section(s.consents, bundle.talentPoolConsents)} ${section(s.requests, bundle.dataRequests)}
  </body>
</html>`;
  return page.value;
}
