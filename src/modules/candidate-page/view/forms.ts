// The candidate's actions: plain HTML POST forms that work without JavaScript, each carrying
// the CSRF token. The paths, field names and limits are exported so the routes validate exactly
// what these forms send; the routes answer with a redirect back to the page (POST-redirect-GET)
// and name the outcome in `model.notice`.
import { isolate, type View } from './format.js';
import { fill, html, type SafeHtml } from './html.js';
import type { FeedbackPageModel, PageDataRequest } from './model.js';
import { hasFeedback } from './sections.js';

/** Where each form posts, after `model.actionBase` (`/f/{token}`). */
export const FORM_PATHS = {
  talentPool: '/talent-pool',
  rating: '/rating',
  questions: '/questions',
  dataRequests: '/data-requests',
} as const;

/** The name of every field the forms send. Every form also sends `csrf`. */
export const FORM_FIELDS = {
  csrf: 'csrf',
  /** `action`: join | leave; `locale`: the language the consent was shown in. */
  talentPool: { action: 'action', locale: 'locale' },
  /** `rating`: 1 to 5; `comment`: optional. */
  rating: { value: 'rating', comment: 'comment' },
  questions: { question: 'question' },
  /** `kind`: export | deletion; `confirm`: `yes`, required for a deletion. */
  dataRequests: { kind: 'kind', confirm: 'confirm' },
} as const;

export const TALENT_POOL_ACTIONS = ['join', 'leave'] as const;
export const DATA_REQUEST_KINDS = ['export', 'deletion'] as const satisfies readonly PageDataRequest['kind'][];
export const DELETION_CONFIRM_VALUE = 'yes';

/** Text limits the forms announce (maxlength) and the routes must enforce. */
export const FORM_LIMITS = { ratingComment: 2000, question: 2000 } as const;

function form(model: FeedbackPageModel, path: string, body: SafeHtml): SafeHtml {
  return html`<form method="post" action="${model.actionBase}${path}">
<input type="hidden" name="${FORM_FIELDS.csrf}" value="${model.csrf}">
${body}</form>
`;
}

const hidden = (name: string, value: string): SafeHtml => html`<input type="hidden" name="${name}" value="${value}">
`;

/** Shown to those invited and to members (to leave); the consent shown is the one recorded. */
export function talentPoolBlock(v: View, model: FeedbackPageModel): SafeHtml {
  const { offered, member } = model.talentPool;
  if (!offered && !member) return html``;
  const t = v.t.talentPool;
  const company = isolate(model.companyName);
  const fields = FORM_FIELDS.talentPool;
  const content = member
    ? html`<p>${fill(t.member, { company })}</p>
${form(
  model,
  FORM_PATHS.talentPool,
  html`${hidden(fields.action, 'leave')}<button type="submit" class="secondary">${t.leave}</button>
`,
)}`
    : html`<p>${fill(t.invite, { company })}</p>
${form(
  model,
  FORM_PATHS.talentPool,
  html`${hidden(fields.action, 'join')}${hidden(fields.locale, v.locale)}<p id="talent-pool-consent" class="consent">${fill(t.consent, { company: model.companyName })}</p>
<button type="submit" aria-describedby="talent-pool-consent">${t.join}</button>
`,
)}`;
  return html`<section id="talent-pool" class="card" aria-labelledby="talent-pool-heading">
<h2 id="talent-pool-heading">${t.heading}</h2>
${content}</section>
`;
}

/** Rating the feedback: offered when there is feedback to rate, or a rating to change. */
export function ratingBlock(v: View, model: FeedbackPageModel): SafeHtml {
  if (!hasFeedback(model.feedback) && !model.rating) return html``;
  const t = v.t.rating;
  const fields = FORM_FIELDS.rating;
  const current = model.rating;
  const choices = t.scale.map((label, index) => {
    const value = index + 1;
    return html`<label for="rating-${value}"><input type="radio" id="rating-${value}" name="${fields.value}" value="${value}" required${current?.value === value ? html` checked` : ''}> ${label}</label>`;
  });
  const body = html`<fieldset>
<legend>${t.legend}</legend>
<div class="scale">${choices}</div>
</fieldset>
<label for="rating-comment">${t.comment}</label>
<p id="rating-comment-hint" class="hint">${t.commentHint}</p>
<textarea id="rating-comment" name="${fields.comment}" rows="4" maxlength="${FORM_LIMITS.ratingComment}" aria-describedby="rating-comment-hint">${current?.comment ?? ''}</textarea>
<p><button type="submit">${current ? t.update : t.submit}</button></p>
`;
  return html`<section id="rating" class="card" aria-labelledby="rating-heading">
<h2 id="rating-heading">${t.heading}</h2>
${
  current
    ? html`<p>${fill(t.current, { value: current.value })}</p>
`
    : ''
}${form(model, FORM_PATHS.rating, body)}</section>
`;
}

/** Earlier questions with their answers, then the form while no question awaits an answer. */
export function questionsBlock(v: View, model: FeedbackPageModel): SafeHtml {
  const t = v.t.questions;
  const history =
    model.questions.length === 0
      ? ''
      : html`<h3>${t.history}</h3>
<ul class="qa">${model.questions.map(
          (q) => html`<li>
<p class="qa-label">${t.yourQuestion}</p>
<p class="meta">${fill(t.askedOn, { date: v.date(q.askedAt) })}</p>
<p class="qa-text">${q.question}</p>
${
  q.answer === null
    ? html`<p class="awaiting">${t.awaiting}</p>`
    : html`<p class="qa-label">${t.answer}</p>
${
  q.answeredAt
    ? html`<p class="meta">${fill(t.answeredOn, { date: v.date(q.answeredAt) })}</p>
`
    : ''
}<p class="qa-text">${q.answer}</p>`
}
</li>`,
        )}</ul>
`;
  const ask = model.openQuestion
    ? html`<p>${t.oneAtATime}</p>
`
    : form(
        model,
        FORM_PATHS.questions,
        html`<label for="question">${t.label}</label>
<p id="question-hint" class="hint">${fill(t.hint, { max: v.number(FORM_LIMITS.question) })}</p>
<textarea id="question" name="${FORM_FIELDS.questions.question}" rows="5" maxlength="${FORM_LIMITS.question}" required aria-describedby="question-hint"></textarea>
<p><button type="submit">${t.submit}</button></p>
`,
      );
  return html`<section id="questions" class="card" aria-labelledby="questions-heading">
<h2 id="questions-heading">${t.heading}</h2>
<p>${t.intro}</p>
${history}${ask}</section>
`;
}

/** A copy of the data or its deletion; a request already in progress is not offered again. */
export function dataBlock(v: View, model: FeedbackPageModel): SafeHtml {
  const t = v.t.data;
  const fields = FORM_FIELDS.dataRequests;
  const pending = (kind: PageDataRequest['kind']) => model.dataRequests.some((r) => r.kind === kind && r.status === 'pending');
  const requests =
    model.dataRequests.length === 0
      ? ''
      : html`<h3>${t.requests}</h3>
<ul>${model.dataRequests.map(
          (r) =>
            html`<li><span class="request-kind">${r.kind === 'export' ? t.kindExport : t.kindDeletion}</span><br><span class="meta">${fill(t.requestedOn, { date: v.date(r.createdAt) })} · ${r.status === 'pending' ? t.statusPending : t.statusCompleted}</span></li>`,
        )}</ul>
`;
  const exportForm = pending('export')
    ? ''
    : form(
        model,
        FORM_PATHS.dataRequests,
        html`${hidden(fields.kind, 'export')}<button type="submit" class="secondary">${t.exportSubmit}</button>
`,
      );
  const deletionForm = pending('deletion')
    ? ''
    : form(
        model,
        FORM_PATHS.dataRequests,
        html`${hidden(fields.kind, 'deletion')}<p id="deletion-hint" class="hint">${t.deletionHint}</p>
<label class="check" for="deletion-confirm"><input type="checkbox" id="deletion-confirm" name="${fields.confirm}" value="${DELETION_CONFIRM_VALUE}" required aria-describedby="deletion-hint"> ${t.deletionConfirm}</label>
<p><button type="submit" class="danger">${t.deletionSubmit}</button></p>
`,
      );
  return html`<section id="your-data" class="card" aria-labelledby="your-data-heading">
<h2 id="your-data-heading">${t.heading}</h2>
<p>${fill(t.intro, { company: isolate(model.companyName) })}</p>
${requests}${exportForm}${deletionForm}</section>
`;
}
