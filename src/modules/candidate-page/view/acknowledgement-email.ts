// The email acknowledging a new application, in the candidate's language and register: it was
// received, a person will read it, and when they will hear back (the promised date, in their
// time zone, when there is one). Built with the page's `html`/`fill`, so no name becomes markup.
import type { SupportedLocale } from '../../templates/context.js';
import type { Formality } from '../../templates/formality.js';
import { formatsFor } from './format.js';
import { fill, fillText, html } from './html.js';
import { pageStrings } from './strings.js';

export interface AcknowledgementInput {
  locale: SupportedLocale;
  formality: Formality;
  firstName: string;
  name: string;
  company: string;
  role: string;
  /** The promised decision date, if any, and the candidate's time zone to write it in. */
  promisedDecisionAt: Date | null;
  timeZone: string | null;
}

export function acknowledgementEmail(input: AcknowledgementInput): { subject: string; text: string; html: string } {
  const t = pageStrings(input.locale, input.formality);
  const words = { role: input.role, company: input.company };
  const names = { firstName: input.firstName, name: input.name };
  const next = input.promisedDecisionAt
    ? fillText(t.acknowledgementEmail.promise, { date: formatsFor(input.locale, input.timeZone).dates.format(input.promisedDecisionAt) })
    : t.acknowledgementEmail.noPromise;
  const text = [fillText(t.page.greeting, names), fillText(t.acknowledgementEmail.received, words), next, fillText(t.acknowledgementEmail.signOff, words)].join('\n\n');
  const body = html`<!doctype html>
<html lang="${input.locale}"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a;max-width:600px">
<p>${fill(t.page.greeting, names)}</p>
<p>${fill(t.acknowledgementEmail.received, words)}</p>
<p>${next}</p>
<p>${fill(t.acknowledgementEmail.signOff, words)}</p>
</body></html>`;
  return { subject: fillText(t.acknowledgementEmail.subject, words), text: `${text}\n`, html: body.value };
}
