// A real OpenID Connect provider (the `oidc-provider` package) on a local port, with a stand-in
// for its login page: the next sign-in is as whoever the test names. The browser side walks its
// redirects with a cookie jar, as a browser would, and stops at the relying party's callback.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestClient {
  clientId: string;
  clientSecret: string;
}

export interface LocalProvider {
  issuer: string;
  /** Who signs in at the provider's login page next. */
  nextSignIn(account: { email: string; emailVerified?: boolean; name?: string }): void;
  /**
   * A browser at the provider: follows `authorizationUrl` through login and consent until the
   * provider sends it back to `callbackPrefix`; returns that URL.
   */
  authorize(authorizationUrl: string, callbackPrefix: string): Promise<string>;
  close(): Promise<void>;
}

export async function startOidcProvider(clients: TestClient[], redirectUri: string): Promise<LocalProvider> {
  const accounts = new Map<string, { email: string; emailVerified: boolean; name: string }>();
  let next: string | null = null;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/interaction/')) {
      void interact(req, res).catch((error: Error) => {
        res.statusCode = 500;
        res.end(error.message);
      });
      return;
    }
    provider.callback()(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // Requests reach the handler above only after this is set: the server is not called before.
  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    })),
    cookies: { keys: ['local-provider-cookie-key'] },
    // ID tokens live an hour (the expiry test moves Hearback's clock past it).
    ttl: { IdToken: 3600, AccessToken: 3600, AuthorizationCode: 60, Grant: 3600, Interaction: 600, Session: 3600 },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: () => ({ sub, email: account.email, email_verified: account.emailVerified, name: account.name }) };
    },
  });

  /** The login and consent pages: signs in as the next account, and consents to what was asked. */
  async function interact(req: IncomingMessage, res: ServerResponse) {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'login') {
      if (!next) throw new Error('the test did not say who signs in');
      return provider.interactionFinished(req, res, { login: { accountId: next } }, { mergeWithLastSubmission: false });
    }
    const grant = details.grantId
      ? (await provider.Grant.find(details.grantId))!
      : new provider.Grant({ accountId: details.session!.accountId, clientId: details.params.client_id as string });
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
  }

  return {
    issuer,
    nextSignIn(account) {
      const sub = `sub-${account.email}`;
      accounts.set(sub, { email: account.email, emailVerified: account.emailVerified ?? true, name: account.name ?? account.email });
      next = sub;
    },
    async authorize(authorizationUrl, callbackPrefix) {
      const jar = new Map<string, string>();
      let url = authorizationUrl;
      for (let hop = 0; hop < 20; hop++) {
        if (url.startsWith(callbackPrefix)) return url;
        const response = await fetch(url, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
        for (const line of response.headers.getSetCookie()) {
          const [pair] = line.split(';');
          const at = pair!.indexOf('=');
          const value = pair!.slice(at + 1);
          if (value === '') jar.delete(pair!.slice(0, at));
          else jar.set(pair!.slice(0, at), value);
        }
        const location = response.headers.get('location');
        if (!location) throw new Error(`the provider answered ${response.status} at ${url}: ${(await response.text()).slice(0, 300)}`);
        url = new URL(location, url).toString();
      }
      throw new Error('too many redirects at the provider');
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
