// The email that asks a candidate to confirm their export request: the download is offered only
// to whoever can read the inbox the organization wrote to. Both emails speak the register of the
// candidate's message and page (templates/formality.ts): tu/du/tú/tu/je where that was informal.
import { escapeHtml } from '../candidate-page/view/html.js';
import type { SupportedLocale } from '../templates/context.js';
import { inRegister, type Formality, type TwoRegisterLocale } from '../templates/formality.js';

interface EmailWords {
  subject: string;
  body: string;
  button: string;
  ignore: string;
}

const TEXT: Record<SupportedLocale, EmailWords> = {
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
    subject: 'Confirme su solicitud de una copia de sus datos',
    body: 'Pidió a {company} una copia de los datos que guarda sobre usted. Abra este enlace para confirmar y descargarla:',
    button: 'Confirmar y descargar mis datos',
    ignore: 'Si no lo pidió, ignore este correo: no se enviará nada.',
  },
  pt: {
    subject: 'Confirme o seu pedido de cópia dos seus dados',
    body: 'Você pediu à {company} uma cópia dos dados que ela guarda sobre você. Abra este link para confirmar e baixá-la:',
    button: 'Confirmar e baixar meus dados',
    ignore: 'Se você não fez esse pedido, ignore este e-mail: nada será enviado.',
  },
  it: {
    subject: 'Confermi la sua richiesta di una copia dei suoi dati',
    body: 'Ha chiesto a {company} una copia dei dati che conserva su di lei. Apra questo link per confermare e scaricarla:',
    button: 'Confermare e scaricare i miei dati',
    ignore: 'Se non ha fatto questa richiesta, ignori questa email: non verrà inviato nulla.',
  },
  nl: {
    subject: 'Bevestig uw verzoek om een kopie van uw gegevens',
    body: 'U hebt {company} gevraagd om een kopie van de gegevens die het over u bewaart. Open deze link om te bevestigen en de kopie te downloaden:',
    button: 'Bevestigen en mijn gegevens downloaden',
    ignore: 'Hebt u dit niet gevraagd, negeer deze e-mail dan: er wordt niets verstuurd.',
  },
};

const TEXT_INFORMAL: Record<TwoRegisterLocale, EmailWords> = {
  fr: {
    subject: 'Confirme ta demande de copie de tes données',
    body: 'Tu as demandé à {company} une copie des données qu’elle conserve à ton sujet. Ouvre ce lien pour confirmer et la télécharger :',
    button: 'Confirmer et télécharger mes données',
    ignore: 'Si tu n’as rien demandé, ignore ce message : rien ne sera envoyé.',
  },
  de: {
    subject: 'Bestätige deine Anfrage nach einer Kopie deiner Daten',
    body: 'Du hast {company} um eine Kopie der über dich gespeicherten Daten gebeten. Öffne diesen Link, um zu bestätigen und sie herunterzuladen:',
    button: 'Bestätigen und meine Daten herunterladen',
    ignore: 'Wenn du das nicht angefordert hast, ignoriere diese E-Mail einfach: Es wird nichts gesendet.',
  },
  es: {
    subject: 'Confirma tu solicitud de una copia de tus datos',
    body: 'Pediste a {company} una copia de los datos que guarda sobre ti. Abre este enlace para confirmar y descargarla:',
    button: 'Confirmar y descargar mis datos',
    ignore: 'Si no lo pediste, ignora este correo: no se enviará nada.',
  },
  it: {
    subject: 'Conferma la tua richiesta di una copia dei tuoi dati',
    body: 'Hai chiesto a {company} una copia dei dati che conserva su di te. Apri questo link per confermare e scaricarla:',
    button: 'Conferma e scarica i miei dati',
    ignore: 'Se non hai fatto questa richiesta, ignora questa email: non verrà inviato nulla.',
  },
  nl: {
    subject: 'Bevestig je verzoek om een kopie van je gegevens',
    body: 'Je hebt {company} gevraagd om een kopie van de gegevens die het over je bewaart. Open deze link om te bevestigen en de kopie te downloaden:',
    button: 'Bevestigen en mijn gegevens downloaden',
    ignore: 'Heb je dit niet gevraagd, negeer deze e-mail dan: er wordt niets verstuurd.',
  },
};

export function confirmationEmail(locale: SupportedLocale, formality: Formality, company: string, url: string) {
  const t = inRegister(TEXT, TEXT_INFORMAL, locale, formality);
  const body = t.body.replace('{company}', company);
  return {
    subject: t.subject,
    text: `${body}\n\n${url}\n\n${t.ignore}\n`,
    html: `<p>${escapeHtml(body)}</p><p><a href="${escapeHtml(url)}">${escapeHtml(t.button)}</a></p><p>${escapeHtml(t.ignore)}</p>`,
  };
}

const RENEWAL: Record<SupportedLocale, EmailWords> = {
  en: {
    subject: 'Stay in {company}’s talent pool?',
    body: 'You asked {company} to keep you in mind for other roles. That consent ends on {date}. To stay in the talent pool, renew it:',
    button: 'Renew my consent',
    ignore: 'If you do nothing, you leave the talent pool on that date and your data is then kept no longer than the law allows.',
  },
  fr: {
    subject: 'Rester dans le vivier de talents de {company} ?',
    body: 'Vous avez demandé à {company} de penser à vous pour d’autres postes. Ce consentement prend fin le {date}. Pour rester dans le vivier, renouvelez-le :',
    button: 'Renouveler mon consentement',
    ignore: 'Sans action de votre part, vous quitterez le vivier à cette date et vos données ne seront plus conservées au-delà de ce que la loi permet.',
  },
  de: {
    subject: 'Im Talentpool von {company} bleiben?',
    body: 'Sie haben {company} gebeten, Sie für andere Stellen zu berücksichtigen. Diese Einwilligung endet am {date}. Um im Talentpool zu bleiben, erneuern Sie sie:',
    button: 'Einwilligung erneuern',
    ignore: 'Wenn Sie nichts tun, verlassen Sie den Talentpool an diesem Tag, und Ihre Daten werden danach nicht länger als gesetzlich erlaubt gespeichert.',
  },
  es: {
    subject: '¿Seguir en la bolsa de talento de {company}?',
    body: 'Pidió a {company} que le tuviera en cuenta para otros puestos. Ese consentimiento termina el {date}. Para seguir en la bolsa de talento, renuévelo:',
    button: 'Renovar mi consentimiento',
    ignore: 'Si no hace nada, saldrá de la bolsa de talento en esa fecha y sus datos no se guardarán más tiempo del que permite la ley.',
  },
  pt: {
    subject: 'Continuar no banco de talentos da {company}?',
    body: 'Você pediu à {company} que lembrasse de você para outras vagas. Esse consentimento termina em {date}. Para continuar no banco de talentos, renove-o:',
    button: 'Renovar meu consentimento',
    ignore: 'Se você não fizer nada, sairá do banco de talentos nessa data, e os seus dados não serão guardados por mais tempo do que a lei permite.',
  },
  it: {
    subject: 'Restare nel talent pool di {company}?',
    body: 'Ha chiesto a {company} di tenerla presente per altre posizioni. Questo consenso scade il {date}. Per restare nel talent pool, lo rinnovi:',
    button: 'Rinnovare il mio consenso',
    ignore: 'Se non fa nulla, uscirà dal talent pool in quella data e i suoi dati non saranno conservati più a lungo di quanto consente la legge.',
  },
  nl: {
    subject: 'In de talentpool van {company} blijven?',
    body: 'U hebt {company} gevraagd u in gedachten te houden voor andere functies. Die toestemming loopt af op {date}. Wilt u in de talentpool blijven, verleng haar dan:',
    button: 'Mijn toestemming verlengen',
    ignore: 'Doet u niets, dan verlaat u de talentpool op die datum en worden uw gegevens daarna niet langer bewaard dan de wet toestaat.',
  },
};

const RENEWAL_INFORMAL: Record<TwoRegisterLocale, EmailWords> = {
  fr: {
    subject: 'Rester dans le vivier de talents de {company} ?',
    body: 'Tu as demandé à {company} de penser à toi pour d’autres postes. Ce consentement prend fin le {date}. Pour rester dans le vivier, renouvelle-le :',
    button: 'Renouveler mon consentement',
    ignore: 'Si tu ne fais rien, tu quitteras le vivier à cette date et tes données ne seront plus conservées au-delà de ce que la loi permet.',
  },
  de: {
    subject: 'Im Talentpool von {company} bleiben?',
    body: 'Du hast {company} gebeten, dich für andere Stellen zu berücksichtigen. Diese Einwilligung endet am {date}. Wenn du im Talentpool bleiben möchtest, erneuere sie:',
    button: 'Einwilligung erneuern',
    ignore: 'Wenn du nichts tust, verlässt du den Talentpool an diesem Tag, und deine Daten werden danach nicht länger als gesetzlich erlaubt gespeichert.',
  },
  es: {
    subject: '¿Seguir en la bolsa de talento de {company}?',
    body: 'Pediste a {company} que te tuviera en cuenta para otros puestos. Ese consentimiento termina el {date}. Para seguir en la bolsa de talento, renuévalo:',
    button: 'Renovar mi consentimiento',
    ignore: 'Si no haces nada, saldrás de la bolsa de talento en esa fecha y tus datos no se guardarán más tiempo del que permite la ley.',
  },
  it: {
    subject: 'Restare nel talent pool di {company}?',
    body: 'Hai chiesto a {company} di tenerti presente per altre posizioni. Questo consenso scade il {date}. Per restare nel talent pool, rinnovalo:',
    button: 'Rinnova il mio consenso',
    ignore: 'Se non fai nulla, uscirai dal talent pool in quella data e i tuoi dati non saranno conservati più a lungo di quanto consente la legge.',
  },
  nl: {
    subject: 'In de talentpool van {company} blijven?',
    body: 'Je hebt {company} gevraagd je in gedachten te houden voor andere functies. Die toestemming loopt af op {date}. Wil je in de talentpool blijven, verleng haar dan:',
    button: 'Mijn toestemming verlengen',
    ignore: 'Doe je niets, dan verlaat je de talentpool op die datum en worden je gegevens daarna niet langer bewaard dan de wet toestaat.',
  },
};

export function renewalEmail(locale: SupportedLocale, formality: Formality, company: string, endsAt: Date, url: string) {
  const t = inRegister(RENEWAL, RENEWAL_INFORMAL, locale, formality);
  const date = endsAt.toISOString().slice(0, 10);
  const body = t.body.replace('{company}', company).replace('{date}', date);
  return {
    subject: t.subject.replace('{company}', company),
    text: `${body}\n\n${url}\n\n${t.ignore}\n`,
    html: `<p>${escapeHtml(body)}</p><p><a href="${escapeHtml(url)}">${escapeHtml(t.button)}</a></p><p>${escapeHtml(t.ignore)}</p>`,
  };
}
