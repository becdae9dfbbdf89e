// The fake's inbox page: what candidates would receive, readable by someone new to
// the demo. Every value is escaped; an email's HTML is only ever shown inside a
// sandboxed iframe through srcdoc, never placed in this page's own markup.

import type { CapturedMessage } from './store.js';

/** Inline styles only and no scripts; the srcdoc iframe inherits this policy too. */
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'; " + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (value: unknown): string => String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

const STYLE = `
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #1d2430; background: #f6f7f9; }
  header { background: #1d2430; color: #fff; padding: 14px 24px; }
  header a { color: #fff; text-decoration: none; font-weight: 600; }
  main { padding: 20px 24px; max-width: 1100px; }
  table { border-collapse: collapse; width: 100%; background: #fff; }
  th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid #e3e6ea; vertical-align: top; }
  th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #5b6573; }
  td a { color: #1849a9; }
  .muted { color: #5b6573; }
  .chip { display: inline-block; background: #eef1f5; border-radius: 4px; padding: 0 6px; margin: 1px 2px; font-size: 13px; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; background: #fff; padding: 14px; }
  dt { color: #5b6573; } dd { margin: 0; overflow-wrap: anywhere; }
  h2 { font-size: 16px; margin: 24px 0 8px; }
  pre { background: #fff; padding: 14px; white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }
  iframe { width: 100%; height: 520px; border: 1px solid #e3e6ea; background: #fff; }
`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><a href="/">Postmark fake · captured emails</a></header>
<main>
${body}
</main>
</body>
</html>`;
}

const time = (iso: string): string => `<time datetime="${escapeHtml(iso)}">${escapeHtml(iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}</time>`;

const chips = (values: Record<string, string>): string =>
  Object.entries(values)
    .map(([k, v]) => `<span class="chip">${escapeHtml(k)}=${escapeHtml(v)}</span>`)
    .join(' ') || '<span class="muted">—</span>';

const orDash = (value: string | undefined): string => (value ? escapeHtml(value) : '<span class="muted">—</span>');

const messageHref = (m: CapturedMessage): string => `/messages/${encodeURIComponent(m.MessageID)}`;

export function renderList(messages: readonly CapturedMessage[]): string {
  const newestFirst = [...messages].reverse();
  const rows = newestFirst
    .map(
      (m) => `<tr>
  <td>${time(m.ReceivedAt)}</td>
  <td>${escapeHtml(m.To)}</td>
  <td><a href="${escapeHtml(messageHref(m))}">${m.Subject ? escapeHtml(m.Subject) : '(no subject)'}</a></td>
  <td>${escapeHtml(m.MessageStream)}</td>
  <td>${orDash(m.Tag)}</td>
  <td>${chips(m.Metadata)}</td>
</tr>`,
    )
    .join('\n');
  const table = messages.length
    ? `<table>
<thead><tr><th>Received</th><th>To</th><th>Subject</th><th>Stream</th><th>Tag</th><th>Metadata</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`
    : '<p class="muted">No emails captured yet. Anything the app sends to this server appears here.</p>';
  const summary = `<p class="muted">${messages.length} email${messages.length === 1 ? '' : 's'}, newest first ·
<a href="/">refresh</a> · JSON at <a href="/__fake/messages">/__fake/messages</a></p>`;
  return layout('Captured emails', `${summary}\n${table}`);
}

export function renderMessage(m: CapturedMessage): string {
  const headers = m.Headers.map((h) => `${escapeHtml(h.Name)}: ${escapeHtml(h.Value)}`).join('<br>');
  const fields: [string, string][] = [
    ['Received', time(m.ReceivedAt)],
    ['From', escapeHtml(m.From)],
    ['To', escapeHtml(m.To)],
    ['Cc', orDash(m.Cc)],
    ['Bcc', orDash(m.Bcc)],
    ['Reply-To', orDash(m.ReplyTo)],
    ['Subject', orDash(m.Subject)],
    ['Stream', escapeHtml(m.MessageStream)],
    ['Tag', orDash(m.Tag)],
    ['Metadata', chips(m.Metadata)],
    ['Headers', headers || '<span class="muted">—</span>'],
    ['MessageID', escapeHtml(m.MessageID)],
  ];
  const dl = `<dl>${fields.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`;
  const text = m.TextBody ? `<pre>${escapeHtml(m.TextBody)}</pre>` : '<p class="muted">This email has no text part.</p>';
  // sandbox="" : no scripts, no same-origin access, no forms, no top navigation.
  const html = m.HtmlBody
    ? `<iframe sandbox="" referrerpolicy="no-referrer" title="HTML part" srcdoc="${escapeHtml(m.HtmlBody)}"></iframe>`
    : '<p class="muted">This email has no HTML part.</p>';
  const body = `<p><a href="/">← all emails</a></p>
${dl}
<h2>Text part</h2>
${text}
<h2>HTML part</h2>
${html}`;
  return layout(m.Subject || '(no subject)', body);
}

export function renderNotFound(): string {
  return layout('Not found', '<p>No captured email has that ID. <a href="/">Back to all emails</a>.</p>');
}
