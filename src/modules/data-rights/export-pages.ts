// The two pages a candidate sees on the way to their export: "confirm" (the emailed link opens
// it; a button confirms, so a mail scanner that follows links confirms nothing), and "ready"
// (the short-lived download links). No script, no style, nothing loaded from elsewhere.
import { html, type SafeHtml } from '../candidate-page/view/html.js';
import type { SupportedLocale } from '../templates/context.js';

const TEXT: Record<SupportedLocale, { title: string; confirm: string; button: string; ready: string; readable: string; json: string; until: string }> = {
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

const page = (locale: SupportedLocale, body: SafeHtml) =>
  html`<!doctype html>
<html lang="${locale}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${TEXT[locale].title}</title>
  </head>
  <body>
    <main>
      <h1>${TEXT[locale].title}</h1>
      ${body}
    </main>
  </body>
</html>`.value;

export const confirmPage = (locale: SupportedLocale, company: string, action: string) =>
  page(
    locale,
    html`<p>${TEXT[locale].confirm.replace('{company}', company)}</p>
      <form method="post" action="${action}"><button type="submit">${TEXT[locale].button}</button></form>`,
  );

export const readyPage = (locale: SupportedLocale, links: { html: string; json: string }, expiresAt: Date) =>
  page(
    locale,
    html`<p>${TEXT[locale].ready}</p>
      <ul>
        <li><a href="${links.html}" download>${TEXT[locale].readable}</a></li>
        <li><a href="${links.json}" download>${TEXT[locale].json}</a></li>
      </ul>
      <p>${TEXT[locale].until} <time datetime="${expiresAt.toISOString()}">${expiresAt.toISOString().replace('T', ' ').slice(0, 16)} UTC</time></p>`,
  );

const RENEW: Record<SupportedLocale, { title: string; intro: string; button: string; done: string }> = {
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

const simplePage = (locale: SupportedLocale, title: string, body: SafeHtml) =>
  html`<!doctype html>
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

/** The consent text shown is exactly what a renewal records. */
export const renewPage = (locale: SupportedLocale, consentText: string, action: string) =>
  simplePage(
    locale,
    RENEW[locale].title,
    html`<p>${RENEW[locale].intro}</p>
      <blockquote>${consentText}</blockquote>
      <form method="post" action="${action}"><button type="submit">${RENEW[locale].button}</button></form>`,
  );

export const renewedPage = (locale: SupportedLocale) => simplePage(locale, RENEW[locale].title, html`<p>${RENEW[locale].done}</p>`);
