import { Errors } from 'postmark';
import { describe, expect, it } from 'vitest';
import { basicAuthMatches } from '../modules/delivery/postmark-webhooks.js';
import { classifyError, fromHeader } from './postmark.js';

describe('classifyError', () => {
  it('retries what never reached Postmark or what Postmark asked to retry', () => {
    expect(classifyError(new Errors.PostmarkError('fetch failed (ECONNREFUSED)'))).toMatchObject({ kind: 'retry' });
    expect(classifyError(new Errors.RateLimitExceededError('slow down', 0, 429), 2000)).toEqual({ kind: 'retry', reason: expect.stringContaining('429'), retryAfterMs: 2000 });
    expect(classifyError(new Errors.InternalServerError('oops', 0, 500))).toMatchObject({ kind: 'retry' });
    expect(classifyError(new Errors.ServiceUnavailablerError('down', 0, 503))).toMatchObject({ kind: 'retry' });
  });

  it('treats a timeout or a connection dropped mid-request as unknown, never as retryable', () => {
    expect(classifyError(new Errors.PostmarkError('The operation was aborted due to timeout'))).toMatchObject({ kind: 'ambiguous' });
    expect(classifyError(new Errors.PostmarkError('fetch failed (UND_ERR_SOCKET)'))).toMatchObject({ kind: 'ambiguous' });
    expect(classifyError(new Errors.PostmarkError('fetch failed (ECONNRESET)'))).toMatchObject({ kind: 'ambiguous' });
    expect(classifyError(new Error('something else entirely'))).toMatchObject({ kind: 'ambiguous' });
  });

  it('stops on answers that will not change: a bad token, a refused request', () => {
    expect(classifyError(new Errors.InvalidAPIKeyError('bad token', 10, 401))).toMatchObject({ kind: 'final', code: 'postmark_unauthorized' });
    expect(classifyError(new Errors.ApiInputError('too many', 411, 422))).toMatchObject({ kind: 'final', code: 'postmark_rejected', reason: expect.stringContaining('411') });
  });
});

describe('fromHeader', () => {
  it('quotes the display name and keeps header injection out', () => {
    expect(fromHeader('talent@x.test', null)).toBe('talent@x.test');
    expect(fromHeader('talent@x.test', 'Northwind Talent')).toBe('"Northwind Talent" <talent@x.test>');
    // Quotes, backslashes and line breaks never reach the header as such: encoded-words carry them.
    const injected = fromHeader('talent@x.test', 'Northwind "Talent"\r\nBcc: evil@x.test');
    expect(injected).toMatch(/^(=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?= ?)+ <talent@x\.test>$/);
    expect(decodeWords(injected)).toBe('Northwind "Talent" Bcc: evil@x.test');
  });

  it('encodes a name beyond ASCII as RFC 2047 words of at most 75 characters, whole characters each', () => {
    const name = 'Zoë O’Brien-Núñez 山田太郎 '.repeat(4).trim();
    const header = fromHeader('zoe@x.test', name);
    expect(header).toMatch(/^[\x20-\x7e]+$/);
    for (const word of header.replace(/ <zoe@x\.test>$/, '').split(' ')) expect(word.length).toBeLessThanOrEqual(75);
    expect(decodeWords(header)).toBe(name);
  });
});

/** What a mail client shows: the words decoded and joined (spaces between encoded-words are dropped). */
function decodeWords(header: string): string {
  return header
    .replace(/ <[^>]+>$/, '')
    .split(' ')
    .map((word) => Buffer.from(/^=\?UTF-8\?B\?(.*)\?=$/.exec(word)![1]!, 'base64'))
    .reduce((all, bytes) => Buffer.concat([all, bytes]), Buffer.alloc(0))
    .toString('utf8');
}

describe('fromHeader, continued', () => {
  it('leaves a bare address when there is no name', () => {
    expect(fromHeader('talent@x.test', '  ')).toBe('talent@x.test');
  });
});

describe('basicAuthMatches', () => {
  const header = (value: string) => `Basic ${Buffer.from(value).toString('base64')}`;
  it('accepts exactly the configured user and password', () => {
    expect(basicAuthMatches(header('postmark:s3cret-password'), 'postmark', 's3cret-password')).toBe(true);
    expect(basicAuthMatches(header('postmark:s3cret-passwort'), 'postmark', 's3cret-password')).toBe(false);
    expect(basicAuthMatches(header('other:s3cret-password'), 'postmark', 's3cret-password')).toBe(false);
    expect(basicAuthMatches(undefined, 'postmark', 's3cret-password')).toBe(false);
    expect(basicAuthMatches('Bearer abc', 'postmark', 's3cret-password')).toBe(false);
    expect(basicAuthMatches('Basic', 'postmark', 's3cret-password')).toBe(false);
  });
});
