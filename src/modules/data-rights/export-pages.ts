// The two pages a candidate sees on the way to their export: "confirm" (the emailed link opens
// it; a button confirms, so a mail scanner that follows links confirms nothing), and "ready"
// (the short-lived download links). No script, no style, nothing loaded from elsewhere. Every
// page speaks the register of the candidate's message and page (templates/formality.ts).
import { html, type SafeHtml } from '../candidate-page/view/html.js';
import type { SupportedLocale } from '../templates/context.js';
import { inRegister, type Formality, type TwoRegisterLocale } from '../templates/formality.js';

interface ExportPageWords {
  title: string;
  confirm: string;
  button: string;
  ready: string;
  readable: string;
  json: string;
  until: string;
}

const TEXT: Record<SupportedLocale, ExportPageWords> = {
  en: {
    title: 'A copy of your data',
    confirm: 'You asked {company} for a copy of the data it keeps about you. Confirm to get your download links.',
    button: 'Confirm',
    ready: 'Your data is ready.',
    readable: 'Download it as a page you can read',
    json: 'Download it as JSON (machine-readable)',
    until: 'These links work until',
  },
  fr: {
    title: 'Une copie de vos données',
    confirm: 'Vous avez demandé à {company} une copie des données qu’elle conserve à votre sujet. Confirmez pour obtenir vos liens de téléchargement.',
    button: 'Confirmer',
    ready: 'Vos données sont prêtes.',
    readable: 'Les télécharger sous forme de page lisible',
    json: 'Les télécharger en JSON (lisible par une machine)',
    until: 'Ces liens fonctionnent jusqu’au',
  },
  de: {
    title: 'Eine Kopie Ihrer Daten',
    confirm: 'Sie haben {company} um eine Kopie der über Sie gespeicherten Daten gebeten. Bestätigen Sie, um Ihre Download-Links zu erhalten.',
    button: 'Bestätigen',
    ready: 'Ihre Daten sind bereit.',
    readable: 'Als lesbare Seite herunterladen',
    json: 'Als JSON herunterladen (maschinenlesbar)',
    until: 'Diese Links funktionieren bis',
  },
  es: {
    title: 'Una copia de sus datos',
    confirm: 'Pidió a {company} una copia de los datos que guarda sobre usted. Confirme para obtener sus enlaces de descarga.',
    button: 'Confirmar',
    ready: 'Sus datos están listos.',
    readable: 'Descargarlos como una página legible',
    json: 'Descargarlos en JSON (legible por máquina)',
    until: 'Estos enlaces funcionan hasta el',
  },
  pt: {
    title: 'Uma cópia dos seus dados',
    confirm: 'Você pediu à {company} uma cópia dos dados que ela guarda sobre você. Confirme para receber os seus links de download.',
    button: 'Confirmar',
    ready: 'Os seus dados estão prontos.',
    readable: 'Baixar como uma página legível',
    json: 'Baixar em JSON (legível por máquina)',
    until: 'Estes links funcionam até',
  },
  it: {
    title: 'Una copia dei suoi dati',
    confirm: 'Ha chiesto a {company} una copia dei dati che conserva su di lei. Confermi per ricevere i link per scaricarli.',
    button: 'Confermare',
    ready: 'I suoi dati sono pronti.',
    readable: 'Scaricarli come pagina leggibile',
    json: 'Scaricarli in JSON (leggibile da una macchina)',
    until: 'Questi link funzionano fino al',
  },
  nl: {
    title: 'Een kopie van uw gegevens',
    confirm: 'U hebt {company} gevraagd om een kopie van de gegevens die het over u bewaart. Bevestig om uw downloadlinks te krijgen.',
    button: 'Bevestigen',
    ready: 'Uw gegevens staan klaar.',
    readable: 'Downloaden als leesbare pagina',
    json: 'Downloaden als JSON (machineleesbaar)',
    until: 'Deze links werken tot',
  },
};

// The informal words that differ; the labels of the download links read the same in both.
const TEXT_INFORMAL: Record<TwoRegisterLocale, ExportPageWords> = {
  fr: {
    ...TEXT.fr,
    title: 'Une copie de tes données',
    confirm: 'Tu as demandé à {company} une copie des données qu’elle conserve à ton sujet. Confirme pour obtenir tes liens de téléchargement.',
    ready: 'Tes données sont prêtes.',
  },
  de: {
    ...TEXT.de,
    title: 'Eine Kopie deiner Daten',
    confirm: 'Du hast {company} um eine Kopie der über dich gespeicherten Daten gebeten. Bestätige, um deine Download-Links zu erhalten.',
    ready: 'Deine Daten sind bereit.',
  },
  es: {
    ...TEXT.es,
    title: 'Una copia de tus datos',
    confirm: 'Pediste a {company} una copia de los datos que guarda sobre ti. Confirma para obtener tus enlaces de descarga.',
    ready: 'Tus datos están listos.',
  },
  it: {
    ...TEXT.it,
    title: 'Una copia dei tuoi dati',
    confirm: 'Hai chiesto a {company} una copia dei dati che conserva su di te. Conferma per ricevere i link per scaricarli.',
    button: 'Conferma',
    ready: 'I tuoi dati sono pronti.',
  },
  nl: {
    ...TEXT.nl,
    title: 'Een kopie van je gegevens',
    confirm: 'Je hebt {company} gevraagd om een kopie van de gegevens die het over je bewaart. Bevestig om je downloadlinks te krijgen.',
    ready: 'Je gegevens staan klaar.',
  },
};

export const confirmPage = (locale: SupportedLocale, formality: Formality, company: string, action: string) => {
  const t = inRegister(TEXT, TEXT_INFORMAL, locale, formality);
  return simplePage(
    locale,
    t.title,
    html`<p>${t.confirm.replace('{company}', company)}</p>
      <form method="post" action="${action}"><button type="submit">${t.button}</button></form>`,
  );
};

export const readyPage = (locale: SupportedLocale, formality: Formality, links: { html: string; json: string }, expiresAt: Date) => {
  const t = inRegister(TEXT, TEXT_INFORMAL, locale, formality);
  return simplePage(
    locale,
    t.title,
    html`<p>${t.ready}</p>
      <ul>
        <li><a href="${links.html}" download>${t.readable}</a></li>
        <li><a href="${links.json}" download>${t.json}</a></li>
      </ul>
      <p>${t.until} <time datetime="${expiresAt.toISOString()}">${expiresAt.toISOString().replace('T', ' ').slice(0, 16)} UTC</time></p>`,
  );
};

interface RenewPageWords {
  title: string;
  intro: string;
  button: string;
  done: string;
}

const RENEW: Record<SupportedLocale, RenewPageWords> = {
  en: { title: 'Your talent-pool consent', intro: 'By renewing, you agree again to this:', button: 'Renew my consent', done: 'Thank you: your consent is renewed.' },
  fr: {
    title: 'Votre consentement au vivier de talents',
    intro: 'En renouvelant, vous acceptez à nouveau ceci :',
    button: 'Renouveler mon consentement',
    done: 'Merci : votre consentement est renouvelé.',
  },
  de: {
    title: 'Ihre Einwilligung in den Talentpool',
    intro: 'Mit der Erneuerung stimmen Sie erneut Folgendem zu:',
    button: 'Einwilligung erneuern',
    done: 'Danke: Ihre Einwilligung ist erneuert.',
  },
  es: {
    title: 'Su consentimiento para la bolsa de talento',
    intro: 'Al renovarlo, acepta de nuevo lo siguiente:',
    button: 'Renovar mi consentimiento',
    done: 'Gracias: su consentimiento está renovado.',
  },
  pt: {
    title: 'Seu consentimento para o banco de talentos',
    intro: 'Ao renová-lo, você aceita novamente o seguinte:',
    button: 'Renovar meu consentimento',
    done: 'Obrigado: o seu consentimento foi renovado.',
  },
  it: {
    title: 'Il suo consenso per il talent pool',
    intro: 'Rinnovandolo, accetta di nuovo quanto segue:',
    button: 'Rinnovare il mio consenso',
    done: 'Grazie: il suo consenso è stato rinnovato.',
  },
  nl: {
    title: 'Uw toestemming voor de talentpool',
    intro: 'Door haar te verlengen, gaat u opnieuw akkoord met het volgende:',
    button: 'Mijn toestemming verlengen',
    done: 'Hartelijk dank: uw toestemming is verlengd.',
  },
};

const RENEW_INFORMAL: Record<TwoRegisterLocale, RenewPageWords> = {
  fr: {
    title: 'Ton consentement au vivier de talents',
    intro: 'En renouvelant, tu acceptes à nouveau ceci :',
    button: 'Renouveler mon consentement',
    done: 'Merci : ton consentement est renouvelé.',
  },
  de: {
    title: 'Deine Einwilligung in den Talentpool',
    intro: 'Mit der Erneuerung stimmst du erneut Folgendem zu:',
    button: 'Einwilligung erneuern',
    done: 'Danke! Deine Einwilligung ist erneuert.',
  },
  es: {
    title: 'Tu consentimiento para la bolsa de talento',
    intro: 'Al renovarlo, aceptas de nuevo lo siguiente:',
    button: 'Renovar mi consentimiento',
    done: 'Gracias: tu consentimiento está renovado.',
  },
  it: {
    title: 'Il tuo consenso per il talent pool',
    intro: 'Rinnovandolo, accetti di nuovo quanto segue:',
    button: 'Rinnova il mio consenso',
    done: 'Grazie: il tuo consenso è stato rinnovato.',
  },
  nl: {
    title: 'Je toestemming voor de talentpool',
    intro: 'Door haar te verlengen, ga je opnieuw akkoord met het volgende:',
    button: 'Mijn toestemming verlengen',
    done: 'Dank je wel: je toestemming is verlengd.',
  },
};

function simplePage(locale: SupportedLocale, title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="${locale}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title}</title>
  </head>
  <body>
    <main>
      <h1>${title}</h1>
      ${body}
    </main>
  </body>
</html>`.value;
}

/** The consent text shown is exactly what a renewal records. */
export const renewPage = (locale: SupportedLocale, formality: Formality, consentText: string, action: string) => {
  const t = inRegister(RENEW, RENEW_INFORMAL, locale, formality);
  return simplePage(
    locale,
    t.title,
    html`<p>${t.intro}</p>
      <blockquote>${consentText}</blockquote>
      <form method="post" action="${action}"><button type="submit">${t.button}</button></form>`,
  );
};

export const renewedPage = (locale: SupportedLocale, formality: Formality) => {
  const t = inRegister(RENEW, RENEW_INFORMAL, locale, formality);
  return simplePage(locale, t.title, html`<p>${t.done}</p>`);
};
