// The emails about notifications: one on its own, or a day's gathered in a digest, in the reader's
// language. Every interpolated value goes through the `html` template tag.
import { html } from '../candidate-page/view/html.js';
import type { SystemEmail } from '../delivery/system-mail.js';
import { emailWordsFor } from './notifications.catalogue.js';

export interface EmailItem {
  title: string;
  summary: string;
  /** Absolute address of the thing. */
  url: string;
}

export function notificationEmail(to: string, language: string, item: EmailItem): SystemEmail {
  const words = emailWordsFor(language);
  return {
    to,
    subject: item.title,
    text: `${item.title}\n\n${item.summary}\n\n${words.open}: ${item.url}\n\n${words.footer}\n`,
    html: html`<p><strong>${item.title}</strong></p><p>${item.summary}</p><p><a href="${item.url}">${words.open}</a></p><p>${words.footer}</p>`.value,
    tag: 'notification',
  };
}

export function digestEmail(to: string, language: string, items: EmailItem[]): SystemEmail {
  const words = emailWordsFor(language);
  return {
    to,
    subject: words.digestSubject(items.length),
    text: `${words.digestIntro}\n\n${items.map((i) => `- ${i.title}: ${i.summary}\n  ${i.url}`).join('\n')}\n\n${words.footer}\n`,
    html: html`<p>${words.digestIntro}</p><ul>${items.map((i) => html`<li><a href="${i.url}">${i.title}</a>: ${i.summary}</li>`)}</ul><p>${words.footer}</p>`.value,
    tag: 'notification-digest',
  };
}
