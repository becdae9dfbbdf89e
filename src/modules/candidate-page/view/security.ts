// The response headers the candidate's page needs, next to the markup they were written for:
// the page has no script, loads nothing from elsewhere, and its URL is a secret (the token),
// so it must not leak through a Referer, an index or a cache.
import { accentCss, cssHash, styleHash } from './css.js';

/** How PAGE_CSS reaches the browser: inlined in the page (the default) or linked at a path of ours. */
export type Stylesheet = { mode: 'inline' } | { mode: 'link'; href: string };

export const inlineStylesheet: Stylesheet = { mode: 'inline' };

/** The Content-Security-Policy for a page rendered with `stylesheet` (and the organization's accent, when it has one). */
export function contentSecurityPolicy(stylesheet: Stylesheet = inlineStylesheet, accent: string | null = null, logo = false): string {
  const accentStyle = accentCss(accent);
  const styleSources = [stylesheet.mode === 'inline' ? cssHash() : "'self'", ...(accentStyle ? [styleHash(accentStyle)] : [])];
  // The organization's logo is the one image, served by Hearback itself (/logos/{sha256}).
  const images = logo ? ["img-src 'self'"] : [];
  return ["default-src 'none'", `style-src ${styleSources.join(' ')}`, ...images, "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'"].join('; ');
}

/** Every header for the page and the unavailable page (set them on both, with the same status). */
export function pageSecurityHeaders(stylesheet: Stylesheet = inlineStylesheet, accent: string | null = null, logo = false): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': contentSecurityPolicy(stylesheet, accent, logo),
    'referrer-policy': 'no-referrer',
    'x-robots-tag': 'noindex, nofollow',
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
    'cross-origin-opener-policy': 'same-origin',
  };
}
