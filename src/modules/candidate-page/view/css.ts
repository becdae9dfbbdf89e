// The page's only styles, one small constant: no third-party assets, nothing to fetch on a
// phone, and no `style=` attribute anywhere, so the CSP can name this exact text by its hash
// (when the route inlines it) or allow only our own origin (when it serves it at a path).
// Colours keep at least 4.5:1 contrast on their backgrounds (most are above 7:1); focus is a
// 3px outline that never disappears. ASCII only, so its hash never depends on an encoding.
// `main.wrap`, not `main`: the .wrap rule's padding would win and the title touch the header.
import { createHash } from 'node:crypto';

export const PAGE_CSS = `:root{--accent:#1d4ed8}
*,*::before,*::after{box-sizing:border-box}
html{color-scheme:light;-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:#f3f4f6;color:#1f2937;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;font-size:1.0625rem;line-height:1.6}
.wrap{max-width:42rem;margin:0 auto;padding:0 1rem}
.skip-link{position:absolute;left:-100vw;top:0;padding:.75rem 1rem;background:#ffffff;color:var(--accent);font-weight:600}
.skip-link:focus{left:1rem;top:1rem;z-index:1}
.site-header{background:#ffffff;border-bottom:1px solid #d1d5db}
.site-header .wrap{padding-top:1rem;padding-bottom:1rem}
.company{margin:0;font-weight:700;font-size:1.125rem;color:#111827}
.org-logo{display:block;margin-bottom:.25rem;height:auto;width:auto;max-height:3rem;max-width:12rem}
.tagline{margin:0;font-size:.9375rem;color:#4b5563}
main.wrap{display:block;padding-top:1.5rem;padding-bottom:2rem}
main:focus{outline:none}
h1,h2,h3{color:#111827;line-height:1.3}
h1{font-size:1.625rem;margin:0 0 .75rem}
h2{font-size:1.25rem;margin:0 0 .75rem}
h3{font-size:1.0625rem;margin:1.25rem 0 .5rem}
p{margin:0 0 1rem}
ul,ol{margin:0 0 1rem;padding-left:1.375rem}
li{margin:0 0 .5rem}
a{color:var(--accent);text-decoration:underline;text-underline-offset:.15em;overflow-wrap:anywhere}
a:hover{color:var(--accent);text-decoration-thickness:2px}
.card{background:#ffffff;border:1px solid #d1d5db;border-radius:.5rem;padding:1.25rem;margin:0 0 1.25rem}
.card>:last-child{margin-bottom:0}
.meta{color:#4b5563;font-size:.9375rem}
.status-label{font-weight:600}
.notice{border:2px solid;border-radius:.5rem;padding:.875rem 1rem;margin:0 0 1.25rem;font-weight:600}
.notice-ok{background:#ecfdf5;border-color:#047857;color:#064e3b}
.notice-error{background:#fef2f2;border-color:#b91c1c;color:#7f1d1d}
.note{border-left:4px solid var(--accent);padding:.25rem 0 .25rem 1rem;margin:0 0 1rem}
.competency-name{font-weight:600}
.competency-rating{color:#4b5563}
.qa{list-style:none;padding:0}
.qa>li{border-top:1px solid #e5e7eb;padding-top:.75rem;margin-bottom:1rem}
.qa>li:first-child{border-top:0;padding-top:0}
.qa-label{font-weight:600;margin-bottom:0}
.qa .meta{margin-bottom:.25rem}
.request-kind{font-weight:600}
.qa-text{white-space:pre-line;overflow-wrap:anywhere}
.awaiting{color:#92400e;font-weight:600}
form{margin:0 0 1rem}
fieldset{border:0;margin:0 0 1rem;padding:0;min-width:0}
legend{font-weight:600;margin-bottom:.5rem;padding:0}
label{display:block;font-weight:600;margin-bottom:.375rem}
.scale{display:flex;flex-wrap:wrap;gap:.5rem}
.scale label{display:flex;align-items:center;gap:.5rem;font-weight:400;margin:0;padding:.5rem .75rem;border:1px solid #6b7280;border-radius:.375rem;min-height:2.75rem;cursor:pointer}
.scale input{width:1.25rem;height:1.25rem;margin:0;accent-color:var(--accent)}
.check{display:flex;align-items:flex-start;gap:.625rem;font-weight:400}
.check input{width:1.25rem;height:1.25rem;margin:.2rem 0 0;flex:none;accent-color:var(--accent)}
textarea{display:block;width:100%;min-height:7rem;padding:.625rem .75rem;font:inherit;color:#111827;background:#ffffff;border:1px solid #6b7280;border-radius:.375rem;resize:vertical}
.hint{color:#4b5563;font-size:.9375rem;margin:.375rem 0 .75rem}
.consent{background:#f9fafb;border:1px solid #d1d5db;border-radius:.375rem;padding:.75rem 1rem}
button{font:inherit;font-weight:600;min-height:2.75rem;padding:.625rem 1.25rem;border-radius:.375rem;border:2px solid var(--accent);background:var(--accent);color:#ffffff;cursor:pointer}
button:hover{background:#1e3a8a;border-color:#1e3a8a}
button.secondary{background:#ffffff;color:var(--accent)}
button.secondary:hover{background:#eff6ff;color:#1e3a8a}
button.danger{background:#ffffff;color:#b91c1c;border-color:#b91c1c}
button.danger:hover{background:#fef2f2}
a:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible,.skip-link:focus{outline:3px solid var(--accent);outline-offset:2px}
textarea:focus-visible{border-color:var(--accent)}
.site-footer{border-top:1px solid #d1d5db;color:#4b5563;font-size:.9375rem}
.site-footer .wrap{padding-top:1rem;padding-bottom:2rem}
.org-links{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem}
.org-links li{margin:0}
@media (min-width:40rem){body{font-size:1.125rem}.card{padding:1.5rem 1.75rem}h1{font-size:1.875rem}}
@media (forced-colors:active){.notice,.card,button,.scale label{border-color:CanvasText}}
@media print{.skip-link,form{display:none}body{background:#ffffff}.card{border:0;padding:0}}
`;

const hash = `'sha256-${createHash('sha256').update(PAGE_CSS, 'utf8').digest('base64')}'`;

/** The CSP source for PAGE_CSS inlined in a <style> element, quotes included: `'sha256-…'`. */
export const cssHash = (): string => hash;

/** The page's default accent, and the organization's own as a second, tiny style element. */
export const DEFAULT_ACCENT = '#1d4ed8';
const COLOUR = /^#[0-9a-f]{6}$/;

/**
 * The CSS that gives the page the organization's accent (links, buttons, focus rings), or null
 * for the default. Only a checked #rrggbb gets in (the API checked its contrast on white too), so
 * the text is ours and the CSP can name it by its hash.
 */
export function accentCss(colour: string | null | undefined): string | null {
  const value = colour?.toLowerCase();
  return value && COLOUR.test(value) && value !== DEFAULT_ACCENT ? `:root{--accent:${value}}` : null;
}

const styleHashes = new Map<string, string>();
/** Accent styles hashed for the CSP, kept: organizations have few colours, and every page view needs one. */
const STYLE_HASHES_KEPT = 1_000;

/** The CSP source for an inline style element with exactly this text. */
export function styleHash(css: string): string {
  let kept = styleHashes.get(css);
  if (kept === undefined) {
    kept = `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
    if (styleHashes.size >= STYLE_HASHES_KEPT) styleHashes.clear();
    styleHashes.set(css, kept);
  }
  return kept;
}
