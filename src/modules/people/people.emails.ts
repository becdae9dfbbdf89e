// The emails people get from Hearback itself: an invitation, a sign-in link, in the person's
// language (`users.language`; English when Hearback does not ship it). Every interpolated value
// goes through the feedback page's `html` template tag, so a name cannot become markup.
import { fill, fillText, html } from '../candidate-page/view/html.js';
import { shippedLanguage } from '../candidate-page/view/locale.js';
import type { SupportedLocale } from '../templates/context.js';

interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

interface PeopleStrings {
  /** {name}. */
  greeting: string;
  signIn: { subject: string; body: string; action: string; ignore: string };
  /** {organization} in each; {hours} in the body. */
  invitation: { subject: string; body: string; action: string };
}

// Colleagues are addressed in the register their workplace software speaks, as the notifications
// do (notifications.catalogue.ts): Sie, vous, Lei; tú, você, je. Candidates are another matter
// (templates/formality.ts).
const strings: Record<SupportedLocale, PeopleStrings> = {
  en: {
    greeting: 'Hello {name},',
    signIn: {
      subject: 'Your Hearback sign-in link',
      body: 'Sign in to Hearback with this link, in the browser where you asked for it. It works once, for {minutes} minutes:',
      action: 'Sign in to Hearback',
      ignore: 'If you did not ask to sign in, ignore this email.',
    },
    invitation: {
      subject: 'You are invited to {organization} on Hearback',
      body: 'You are invited to review and approve candidate messages for {organization} on Hearback. Accept within {hours} hours:',
      action: 'Accept the invitation',
    },
  },
  fr: {
    greeting: 'Bonjour {name},',
    signIn: {
      subject: 'Votre lien de connexion à Hearback',
      body: 'Connectez-vous à Hearback avec ce lien, dans le navigateur où vous l’avez demandé. Il fonctionne une seule fois, pendant {minutes}\u00a0minutes\u00a0:',
      action: 'Se connecter à Hearback',
      ignore: 'Si vous n’avez pas demandé à vous connecter, ignorez cet e-mail.',
    },
    invitation: {
      subject: 'Invitation à rejoindre {organization} sur Hearback',
      body: '{organization} vous invite à relire et approuver ses messages aux candidats sur Hearback. Acceptez l’invitation dans les {hours}\u00a0heures\u00a0:',
      action: 'Accepter l’invitation',
    },
  },
  de: {
    greeting: 'Guten Tag {name},',
    signIn: {
      subject: 'Ihr Anmeldelink für Hearback',
      body: 'Melden Sie sich mit diesem Link bei Hearback an, in dem Browser, in dem Sie ihn angefordert haben. Er funktioniert einmal, {minutes} Minuten lang:',
      action: 'Bei Hearback anmelden',
      ignore: 'Wenn Sie keine Anmeldung angefordert haben, ignorieren Sie diese E-Mail.',
    },
    invitation: {
      subject: 'Einladung zu {organization} auf Hearback',
      body: '{organization} lädt Sie ein, Nachrichten an Bewerberinnen und Bewerber auf Hearback zu prüfen und freizugeben. Bitte nehmen Sie die Einladung innerhalb von {hours} Stunden an:',
      action: 'Einladung annehmen',
    },
  },
  es: {
    greeting: 'Hola, {name}:',
    signIn: {
      subject: 'Tu enlace para iniciar sesión en Hearback',
      body: 'Inicia sesión en Hearback con este enlace, en el navegador donde lo pediste. Funciona una sola vez, durante {minutes} minutos:',
      action: 'Iniciar sesión en Hearback',
      ignore: 'Si no pediste iniciar sesión, ignora este correo.',
    },
    invitation: {
      subject: 'Invitación a {organization} en Hearback',
      body: '{organization} te invita a revisar y aprobar sus mensajes a candidatos en Hearback. Acepta la invitación en un plazo de {hours} horas:',
      action: 'Aceptar la invitación',
    },
  },
  pt: {
    greeting: 'Olá, {name},',
    signIn: {
      subject: 'Seu link de acesso ao Hearback',
      body: 'Entre no Hearback com este link, no navegador em que você o pediu. Ele funciona uma única vez, durante {minutes} minutos:',
      action: 'Entrar no Hearback',
      ignore: 'Se você não pediu para entrar, ignore este e-mail.',
    },
    invitation: {
      subject: 'Convite para a {organization} no Hearback',
      body: 'A {organization} convida você a revisar e aprovar as mensagens dela para candidatos no Hearback. Aceite o convite em até {hours} horas:',
      action: 'Aceitar o convite',
    },
  },
  it: {
    greeting: 'Gentile {name},',
    signIn: {
      subject: 'Il suo link di accesso a Hearback',
      body: 'Acceda a Hearback con questo link, nel browser in cui lo ha richiesto. Funziona una sola volta, per {minutes} minuti:',
      action: 'Accedere a Hearback',
      ignore: 'Se non ha chiesto di accedere, ignori questa email.',
    },
    invitation: {
      subject: 'Invito a {organization} su Hearback',
      body: '{organization} la invita a rivedere e approvare i suoi messaggi ai candidati su Hearback. Accetti l’invito entro {hours} ore:',
      action: 'Accettare l’invito',
    },
  },
  nl: {
    greeting: 'Hallo {name},',
    signIn: {
      subject: 'Je inloglink voor Hearback',
      body: 'Log in bij Hearback met deze link, in de browser waarin je hem hebt aangevraagd. Hij werkt één keer, {minutes} minuten lang:',
      action: 'Inloggen bij Hearback',
      ignore: 'Heb je niet gevraagd om in te loggen, negeer deze e-mail dan.',
    },
    invitation: {
      subject: 'Uitnodiging voor {organization} op Hearback',
      body: '{organization} nodigt je uit om berichten aan kandidaten te beoordelen en goed te keuren op Hearback. Accepteer de uitnodiging binnen {hours} uur:',
      action: 'Uitnodiging accepteren',
    },
  },
};

/** The words for a person's language tag (`fr-CA` → French), English when not shipped. */
export const peopleStrings = (language: string | null | undefined): PeopleStrings => strings[shippedLanguage(language) ?? 'en'];

/** Greeting, a paragraph, the link as a button-like anchor, and an optional closing line. */
function linkEmail(t: PeopleStrings, subject: string, name: string, body: string, link: string, action: string, closing: string | null): EmailContent {
  const greeting = fillText(t.greeting, { name });
  return {
    subject,
    text: `${greeting}\n\n${body}\n\n${link}\n${closing ? `\n${closing}\n` : ''}`,
    html: html`<p>${fill(t.greeting, { name })}</p><p>${body}</p><p><a href="${link}">${action}</a></p>${closing ? html`<p>${closing}</p>` : ''}`.value,
  };
}

export function signInEmail(language: string, name: string, link: string, minutes: number): EmailContent {
  const t = peopleStrings(language);
  return linkEmail(t, t.signIn.subject, name, fillText(t.signIn.body, { minutes: String(minutes) }), link, t.signIn.action, t.signIn.ignore);
}

export function invitationEmail(language: string, name: string, organization: string, link: string, hours: number): EmailContent {
  const t = peopleStrings(language);
  return linkEmail(t, fillText(t.invitation.subject, { organization }), name, fillText(t.invitation.body, { organization, hours: String(hours) }), link, t.invitation.action, null);
}
