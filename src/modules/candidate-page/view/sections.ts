// The reading part of the candidate's page: the decision, the feedback, next steps and who to
// contact. Every part the organization left empty is left out, heading and all.
import { emailLink, isolate, type View } from './format.js';
import { fill, html, type SafeHtml } from './html.js';
import { decisionOf, decisionReason, isErrorNotice, type FeedbackPageModel, type NoticeKey, type PageFeedback } from './model.js';

/** The confirmation or error after a POST-redirect-GET; the route may redirect to `#notice`. */
export function noticeBlock(v: View, notice: NoticeKey | null): SafeHtml {
  if (!notice) return html``;
  const error = isErrorNotice(notice);
  return html`<p id="notice" class="notice ${error ? 'notice-error' : 'notice-ok'}" role="${error ? 'alert' : 'status'}">${v.t.notices[notice]}</p>
`;
}

function greeting(v: View, model: FeedbackPageModel): SafeHtml {
  return html`<p>${fill(v.t.page.greeting, { firstName: isolate(model.candidateFirstName), name: isolate(model.candidateName) })}</p>`;
}

/** The decision, worded from the message's action and kind, with its reason when it adds one. */
export function decisionBlock(v: View, model: FeedbackPageModel): SafeHtml {
  const decision = decisionOf(model.action, model.kind);
  const reason = decisionReason(decision, model.feedback);
  const values = {
    role: isolate(model.roleTitle),
    company: isolate(model.companyName),
    reason: reason === null ? '' : fill(v.t.because, { label: reason }),
  };
  const sent = model.sentAt ? html` · ${fill(v.t.page.sentOn, { date: v.date(model.sentAt) })}` : '';
  const noFeedback = decision === 'not_moving_forward' && !hasFeedback(model.feedback) ? html`<p>${v.t.feedback.none}</p>` : '';
  return html`<p class="meta"><span class="status-label">${v.t.page.status}</span> ${v.t.decisionStatus[decision]}${sent}</p>
<div class="card">
${greeting(v, model)}
<p>${fill(v.t.decisionLead[decision], values)}</p>
<p>${fill(v.t.decisionDetail[decision], values)}</p>
${noFeedback}</div>
`;
}

/** Before the email has been sent: no decision, no feedback, nothing to act on. */
export function pendingBlock(v: View, model: FeedbackPageModel): SafeHtml {
  return html`<section class="card" aria-labelledby="pending-heading">
<h2 id="pending-heading">${v.t.pending.heading}</h2>
${greeting(v, model)}
<p>${fill(v.t.pending.body, { company: isolate(model.companyName) })}</p>
</section>
`;
}

/** Whether the feedback has anything to show (a reason alone is said with the decision). */
export const hasFeedback = (feedback: PageFeedback | null): feedback is PageFeedback =>
  !!feedback && (feedback.strengths.length > 0 || feedback.areasToImprove.length > 0 || feedback.competencies.length > 0 || !!feedback.personalNote);

const list = (items: string[]): SafeHtml => html`<ul>${items.map((item) => html`<li>${item}</li>`)}</ul>`;

function paragraphs(text: string): SafeHtml[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => html`<p>${line}</p>`);
}

export function feedbackBlock(v: View, model: FeedbackPageModel): SafeHtml {
  const feedback = model.feedback;
  if (!hasFeedback(feedback)) return html``;
  const t = v.t.feedback;
  const strengths =
    feedback.strengths.length > 0
      ? html`<h3>${t.strengths}</h3>
${list(feedback.strengths)}
`
      : '';
  const areas =
    feedback.areasToImprove.length > 0
      ? html`<h3>${t.areasToImprove}</h3>
${list(feedback.areasToImprove)}
`
      : '';
  const competencies =
    feedback.competencies.length > 0
      ? html`<h3>${t.competencies}</h3>
<ul class="competencies">${feedback.competencies.map(
          (c) =>
            html`<li><span class="competency-name">${c.name}</span> <span class="competency-rating">(${fill(t.competencyRating, { rating: c.rating })})</span>${c.comment ? html`<br>${c.comment}` : ''}</li>`,
        )}</ul>
`
      : '';
  const noteHeading = model.contact.name ? fill(t.personalNoteFrom, { name: isolate(model.contact.name) }) : t.personalNoteFromTeam;
  const note = feedback.personalNote
    ? html`<h3>${noteHeading}</h3>
<div class="note">${paragraphs(feedback.personalNote)}</div>
`
    : '';
  return html`<section class="card" aria-labelledby="feedback-heading">
<h2 id="feedback-heading">${t.heading}</h2>
<p>${t.intro}</p>
${strengths}${areas}${competencies}${note}</section>
`;
}

export function nextStepsBlock(v: View, model: FeedbackPageModel): SafeHtml {
  const openings = model.feedback?.nextSteps.otherOpenings ?? [];
  if (openings.length === 0) return html``;
  const t = v.t.nextSteps;
  return html`<section class="card" aria-labelledby="next-steps-heading">
<h2 id="next-steps-heading">${t.heading}</h2>
<h3>${v.plural(t.otherOpenings, openings.length)}</h3>
${list(openings)}
<p>${v.plural(t.otherOpeningsHint, openings.length)}</p>
</section>
`;
}

export function contactBlock(v: View, model: FeedbackPageModel): SafeHtml {
  const { name, email } = model.contact;
  const t = v.t.contact;
  let sentence: SafeHtml;
  if (name && email) sentence = fill(t.nameAndEmail, { name: isolate(name), email: emailLink(email) });
  else if (email) sentence = fill(t.emailOnly, { email: emailLink(email) });
  else if (name) sentence = fill(t.nameOnly, { name: isolate(name) });
  else return html``;
  return html`<section class="card" aria-labelledby="contact-heading">
<h2 id="contact-heading">${t.heading}</h2>
<p>${sentence}</p>
</section>
`;
}
