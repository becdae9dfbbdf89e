// The emails people get from Hearback itself: an invitation, a sign-in link. Every interpolated
// value goes through the feedback page's `html` template tag, so a name cannot become markup.
import { html } from '../candidate-page/view/html.js';

interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

export function signInEmail(name: string, link: string, minutes: number): EmailContent {
  return {
    subject: 'Your Hearback sign-in link',
    text: `Hello ${name},\n\nSign in to Hearback with this link, in the browser where you asked for it. It works once, for ${minutes} minutes:\n\n${link}\n\nIf you did not ask to sign in, ignore this email.\n`,
    html: html`<p>Hello ${name},</p><p>Sign in to Hearback with this link, in the browser where you asked for it. It works once, for ${minutes} minutes:</p><p><a href="${link}">Sign in to Hearback</a></p><p>If you did not ask to sign in, ignore this email.</p>`
      .value,
  };
}

export function invitationEmail(name: string, organization: string, link: string, hours: number): EmailContent {
  return {
    subject: `You are invited to ${organization} on Hearback`,
    text: `Hello ${name},\n\nYou are invited to review and approve candidate messages for ${organization} on Hearback. Accept within ${hours} hours:\n\n${link}\n`,
    html: html`<p>Hello ${name},</p><p>You are invited to review and approve candidate messages for ${organization} on Hearback. Accept within ${hours} hours:</p><p><a href="${link}">Accept the invitation</a></p>`
      .value,
  };
}
