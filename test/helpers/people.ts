// People signing in the way a browser does: an invitation or a magic link from the local
// Postmark inbox, the cookies it sets, and the CSRF token the API hands a session.
import request from 'supertest';
import type { TestContext } from './context.js';
import { bearer, type TestOrganization } from './factories.js';
import type { PostmarkFake } from '../postmark/server.js';
import { waitFor } from './wait.js';

export interface SetCookie {
  name: string;
  value: string;
  /** Lower-cased attribute names, with their values ('' for flags). */
  attributes: Record<string, string>;
}

export function setCookiesOf(response: { headers: Record<string, unknown> }): SetCookie[] {
  const raw = response.headers['set-cookie'];
  const lines = raw === undefined ? [] : Array.isArray(raw) ? (raw as string[]) : [String(raw)];
  return lines.map((line) => {
    const [pair, ...attributes] = line.split(';').map((part) => part.trim());
    const at = pair!.indexOf('=');
    return {
      name: pair!.slice(0, at),
      value: decodeURIComponent(pair!.slice(at + 1)),
      attributes: Object.fromEntries(
        attributes.map((a) => {
          const eq = a.indexOf('=');
          return eq < 0 ? [a.toLowerCase(), ''] : [a.slice(0, eq).toLowerCase(), a.slice(eq + 1)];
        }),
      ),
    };
  });
}

/** The link in the newest email to `to` tagged `tag` (waits for it to arrive). */
export async function linkFromInbox(fake: PostmarkFake, to: string, tag: 'sign-in' | 'invitation', after = 0): Promise<string> {
  const pattern = tag === 'sign-in' ? /https?:\/\/\S+\/v1\/auth\/magic-link\/[A-Za-z0-9_-]{43}/ : /https?:\/\/\S+\/v1\/auth\/invitations\/[A-Za-z0-9_-]{43}/;
  const email = await waitFor(
    () =>
      fake
        .messages()
        .slice(after)
        .filter((m) => m.To === to && m.Tag === tag)
        .at(-1),
    (found) => found !== undefined,
    { what: `the ${tag} email to ${to}`, progress: () => fake.messages().length },
  );
  return pattern.exec(email!.TextBody ?? '')![0];
}

export interface SignedIn {
  userId: string;
  email: string;
  /** `name=value` for a Cookie header. */
  cookie: string;
  csrf: string;
  /** Headers for an unsafe request: cookie and CSRF token. */
  headers: Record<string, string>;
}

/** Reads who a session is and its CSRF token. */
export async function sessionOf(ctx: TestContext, cookie: string): Promise<SignedIn> {
  const me = await request(ctx.app.server).get('/v1/me').set('cookie', cookie);
  if (me.status !== 200) throw new Error(`GET /v1/me: ${me.status} ${JSON.stringify(me.body)}`);
  return { userId: me.body.user.id, email: me.body.user.email, cookie, csrf: me.body.csrfToken, headers: { cookie, 'x-csrf-token': me.body.csrfToken } };
}

let people = 0;

/** An admin invites a person; the person follows the invitation link and is signed in. */
export async function invitePerson(ctx: TestContext, fake: PostmarkFake, org: TestOrganization, role: string, email = `person${++people}@northwind.test`): Promise<SignedIn> {
  const invited = await request(ctx.app.server)
    .post('/v1/users')
    .set(bearer(org.adminKey))
    .send({ email, name: `Person ${people}`, role });
  if (invited.status !== 201) throw new Error(`POST /v1/users: ${invited.status} ${JSON.stringify(invited.body)}`);
  const link = new URL(await linkFromInbox(fake, email, 'invitation'));
  const accepted = await request(ctx.app.server).get(link.pathname);
  if (accepted.status !== 303) throw new Error(`invitation link: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  const session = setCookiesOf(accepted).find((c) => c.name.endsWith('hearback_session'))!;
  return sessionOf(ctx, `${session.name}=${session.value}`);
}
