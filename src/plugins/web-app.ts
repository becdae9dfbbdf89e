// The recruiter web app (web/, built by `npm run web:build`) at /app, from the same origin as
// the API it calls, under a strict Content-Security-Policy: scripts, styles, fonts and
// connections from this origin only, nothing inline but style attributes (the email preview's
// sandboxed srcdoc frame inherits this policy, and emails carry their styles inline), and no page
// may frame the app. Hashed assets are cached for good; index.html is revalidated, so a deploy is
// picked up at the next navigation. Every other /app path is the app's own route: index.html.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../lib/errors.js';

export interface WebAppOptions {
  /** The build's directory (index.html and assets/). */
  root: string;
}

export const WEB_APP_PREFIX = '/app';

/**
 * React Aria's pressable elements add one `<style>` to the page (`touch-action` so a press is not
 * cancelled by a scroll in Safari): allowed by its hash, no other inline style element is.
 * web-app.test.ts recomputes it from the installed react-aria, so an upgrade that changes the
 * rule fails there, not in a browser.
 */
export const REACT_ARIA_PRESSABLE_STYLE_HASH = "'sha256-38RhXrc7EdReTKsOm23ZPOCUgniTUUcjky8QOOrQx6o='";

export const WEB_APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  `style-src 'self' ${REACT_ARIA_PRESSABLE_STYLE_HASH}`,
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export async function webAppPlugin(app: FastifyInstance, { root }: WebAppOptions) {
  const dir = resolve(root);
  const built = existsSync(resolve(dir, 'index.html'));

  app.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', WEB_APP_CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
  });

  if (built) {
    await app.register(fastifyStatic, {
      root: resolve(dir, 'assets'),
      prefix: `${WEB_APP_PREFIX}/assets/`,
      immutable: true,
      maxAge: '365d',
      index: false,
    });
  }

  const page = async (_request: unknown, reply: FastifyReply) => {
    if (!built) throw new AppError('not_found', 'The web app is not built: run `npm run web:build`');
    return reply.header('cache-control', 'no-cache').sendFile('index.html', dir, { cacheControl: false });
  };
  app.get(WEB_APP_PREFIX, { schema: { hide: true } }, page);
  app.get(`${WEB_APP_PREFIX}/*`, { schema: { hide: true } }, page);
}
