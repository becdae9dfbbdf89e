// How a text gives away the register it addresses someone in, per language with two registers:
// the informal "you" (tu, du, tú, tu, je) and the formal one (vous, Sie, usted, Lei, u), each with
// a sample that must match (so a pattern that matches nothing fails its own test). Shared by the
// tests of everything a candidate reads (page strings, data-rights emails and pages).
import type { TwoRegisterLocale } from '../../src/modules/templates/formality.js';

export interface RegisterMarkers {
  informal: RegExp;
  informalSample: string;
  formal: RegExp;
  formalSample: string;
}

export const registerMarkers: Record<TwoRegisterLocale, RegisterMarkers> = {
  fr: {
    informal: /(^|[^\p{L}])(tu|te|toi|ton|ta|tes|t’\p{L}+)(?=$|[^\p{L}])/iu,
    informalSample: 'Merci pour ta candidature',
    formal: /(^|[^\p{L}])(vous|votre|vos|souhaitez|pouvez|avez|revenez|posez|répondez|contactez|dites)(?=$|[^\p{L}])/iu,
    formalSample: 'Si vous avez besoin d’aide',
  },
  de: {
    informal: /(^|[^\p{L}])(du|dich|dir|dein|deine|deinen|deinem|deiner)(?=$|[^\p{L}])/iu,
    informalSample: 'Danke für deine Bewerbung',
    // Capitalised only: lower-case sie/ihr/ihnen are "they", "her", "them".
    formal: /(^|[^\p{L}])(Sie|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres|Ihnen)(?=$|[^\p{L}])/u,
    formalSample: 'Wenn Sie Hilfe brauchen',
  },
  es: {
    informal: /(^|[^\p{L}])(tú|tu|tus|te|ti|contigo|tienes|puedes|quieres|pediste|haces)(?=$|[^\p{L}])/iu,
    informalSample: 'Gracias por tu candidatura',
    // "su", "le", "tiene", "puede" are also third person (el equipo puede...): usted is told by forms that are not.
    formal:
      /(^|[^\p{L}])(usted|escriba|pregúntenos|vuelva|espere|revíselo|dedicó|recibió|necesita|responda|podrá|ha valorado|se ha unido|pidió|abra|confirme|ignore|descargue|renuévelo|aceptó|hizo)(?=$|[^\p{L}])/iu,
    formalSample: 'Si necesita ayuda, responda al correo',
  },
  it: {
    informal: /(^|[^\p{L}])(tu|tua|tuo|tuoi|tue|ti|te|puoi|devi|vuoi|hai|fai)(?=$|[^\p{L}])/iu,
    informalSample: 'Grazie per la tua candidatura',
    formal: /(^|[^\p{L}])(lei|sua|suo|suoi|sue|può|deve|desidera|attenda|riprovi|gentile|ha chiesto|apra|confermi|ignori|scarichi|rinnovi)(?=$|[^\p{L}])/iu,
    formalSample: 'Se desidera aiuto, attenda',
  },
  nl: {
    informal: /(^|[^\p{L}])(je|jij|jou|jouw|alsjeblieft|heb je|wil je|doe je)(?=$|[^\p{L}])/iu,
    informalSample: 'Bedankt voor je sollicitatie',
    formal: /(^|[^\p{L}])(u|uw|alstublieft|hebt u|kunt u|wilt u)(?=$|[^\p{L}])/iu,
    formalSample: 'Hebt u hulp nodig',
  },
};
