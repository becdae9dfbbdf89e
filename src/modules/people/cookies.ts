// The cookies a browser gets: the session, and the nonce that ties a magic link to the browser
// that asked for it. Over https (PUBLIC_BASE_URL), both are `Secure` and `__Host-` prefixed
// (host-only, path /, cannot be set by a sibling subdomain); always HttpOnly and SameSite=Lax
// (sent when the person follows a link from their email, not on other sites' requests).
import type { CookieSerializeOptions } from '@fastify/cookie';

export interface CookiePolicy {
  session: string;
  nonce: string;
  /** The sealed state of a single sign-on under way (state, nonce, PKCE verifier). */
  sso: string;
  options: CookieSerializeOptions;
}

export function cookiePolicy(publicBaseUrl: string): CookiePolicy {
  const secure = new URL(publicBaseUrl).protocol === 'https:';
  const prefix = secure ? '__Host-' : '';
  return {
    session: `${prefix}hearback_session`,
    nonce: `${prefix}hearback_sign_in`,
    sso: `${prefix}hearback_sso`,
    options: { path: '/', httpOnly: true, sameSite: 'lax', secure },
  };
}
