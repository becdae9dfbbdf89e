// The email telling a candidate their question was answered, in their page's language and
// register: the question, the answer, and the way back to their page while its link works.
// Built with the page's own `html`/`fill`, so nothing the candidate or a recruiter wrote can
// become markup; the link keeps the token placeholder the sender fills in at the last moment.
import type { SupportedLocale } from '../../templates/context.js';
import type { Formality } from '../../templates/formality.js';
import { fill, fillText, html } from './html.js';
import { pageStrings } from './strings.js';

export interface AnswerEmailInput {
  locale: SupportedLocale;
  formality: Formality;
  /** The name the greeting uses, and the full name (each language picks one). */
  firstName: string;
  name: string;
  company: string;
  role: string;
  question: string;
  answer: string;
  /** The candidate's page (with the token placeholder), or null when its link no longer works. */
  pageLink: string | null;
}

/** Plain text keeps the candidate's paragraphs; the HTML part shows them as lines. */
const paragraphs = (text: string) =>
  text
    .trim()
    .split(/\n{2,}/)
    .map((paragraph) => html`<p style="margin:0 0 12px">${paragraph.split('\n').map((line, i) => (i === 0 ? line : [html`<br>`, line]))}</p>`);

export function answerEmail(input: AnswerEmailInput): { subject: string; text: string; html: string } {
  const t = pageStrings(input.locale, input.formality);
  const words = { role: input.role, company: input.company };
  const names = { firstName: input.firstName, name: input.name };
  const text = [
    fillText(t.page.greeting, names),
    fillText(t.answerEmail.intro, words),
    `${t.questions.yourQuestion}:\n${input.question.trim()}`,
    `${t.questions.answer}:\n${input.answer.trim()}`,
    ...(input.pageLink ? [`${t.answerEmail.linkIntro}\n${input.pageLink}`] : []),
    fillText(t.answerEmail.signOff, words),
  ].join('\n\n');
  const lang = input.locale;
  const body = html`<!doctype html>
<html lang="${lang}"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a;max-width:600px">
<p>${fill(t.page.greeting, names)}</p>
<p>${fill(t.answerEmail.intro, words)}</p>
<p style="margin:16px 0 4px;font-weight:600">${t.questions.yourQuestion}</p>
<blockquote style="margin:0 0 16px;padding-left:12px;border-left:3px solid #ccc">${paragraphs(input.question)}</blockquote>
<p style="margin:16px 0 4px;font-weight:600">${t.questions.answer}</p>
<div>${paragraphs(input.answer)}</div>
${input.pageLink ? html`<p>${t.answerEmail.linkIntro}<br><a href="${input.pageLink}">${t.answerEmail.linkText}</a></p>` : ''}
<p>${fill(t.answerEmail.signOff, words)}</p>
</body></html>`;
  return { subject: fillText(t.answerEmail.subject, words), text, html: body.value };
}
