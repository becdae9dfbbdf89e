// The email that asks a candidate to confirm their export request: the download is offered only
// to whoever can read the inbox the organization wrote to.
import { escapeHtml } from '../candidate-page/view/html.js';
import type { SupportedLocale } from '../templates/context.js';

const TEXT: Record<SupportedLocale, { subject: string; body: string; button: string; ignore: string }> = {
  en: {
    subject: 'Confirm your request for a copy of your data',
    body: 'You asked {company} for a copy of the data it keeps about you. Open this link to confirm and download it:',
    button: 'Confirm and download my data',
    ignore: 'If you did not ask for this, ignore this email: nothing will be sent.',
  },
  fr: {
    subject: 'Confirmez votre demande de copie de vos données',
    body: 'Vous avez demandé à {company} une copie des données qu’elle conserve à votre sujet. Ouvrez ce lien pour confirmer et la télécharger :',
    button: 'Confirmer et télécharger mes données',
    ignore: 'Si vous n’avez rien demandé, ignorez ce message : rien ne sera envoyé.',
  },
  de: {
    subject: 'Bestätigen Sie Ihre Anfrage nach einer Kopie Ihrer Daten',
    body: 'Sie haben {company} um eine Kopie der über Sie gespeicherten Daten gebeten. Öffnen Sie diesen Link, um zu bestätigen und sie herunterzuladen:',
    button: 'Bestätigen und meine Daten herunterladen',
    ignore: 'Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Es wird nichts gesendet.',
  },
  es: {
    subject: 'Confirma tu solicitud de una copia de tus datos',
    body: 'Pediste a {company} una copia de los datos que guarda sobre ti. Abre este enlace para confirmar y descargarla:',
    button: 'Confirmar y descargar mis datos',
    ignore: 'Si no lo pediste, ignora este correo: no se enviará nada.',
  },
};

export const confirmationStrings = (locale: SupportedLocale) => TEXT[locale];

export function confirmationEmail(locale: SupportedLocale, company: string, url: string) {
  const t = TEXT[locale];
  const body = t.body.replace('{company}', company);
  return {
    subject: t.subject,
    text: `${body}\n\n${url}\n\n${t.ignore}\n`,
    html: `<p>${escapeHtml(body)}</p><p><a href="${escapeHtml(url)}">${escapeHtml(t.button)}</a></p><p>${escapeHtml(t.ignore)}</p>`,
  };
}
