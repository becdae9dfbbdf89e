import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact-secrets.js';

const KEY = `hb_live_${'A1b2-C3d4_'.repeat(4)}xyz`;
const POSTMARK = '0f2a9c3e-6b1d-4e8f-9a7b-3c5d2e1f0a9b';

describe('redactSecrets', () => {
  it.each([
    [`GET /v1/organization?api_key=${KEY}`, 'GET /v1/organization?api_key=[redacted]'],
    [`/v1/organization?key=${KEY}&x=1`, '/v1/organization?key=hb_live_[redacted]&x=1'],
    ['{"secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}', '{"secret":"[redacted]"}'],
    ['signed with whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'signed with whsec_[redacted]'],
    [`X-Postmark-Server-Token: ${POSTMARK}`, 'X-Postmark-Server-Token: [redacted]'],
    [`{"serverToken":"${POSTMARK}","senderEmail":"a@b.test"}`, '{"serverToken":"[redacted]","senderEmail":"a@b.test"}'],
    [`"msg":"body {\\"serverToken\\":\\"${POSTMARK}\\"}"`, '"msg":"body {\\"serverToken\\":\\"[redacted]\\"}"'],
    ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig', 'Authorization: Bearer [redacted]'],
    ['authorization=Basic%20cG9zdG1hcms6cGFzc3dvcmQ=', 'authorization=Basic%20[redacted]'],
    ['postgresql://hearback:s3cret-pass@db:5432/hb', 'postgresql://[redacted]@db:5432/hb'],
    [`/f/${'t'.repeat(43)}/rating`, '/f/[token]/rating'],
    ['?token=abc123&signature=v1%2Cdeadbeef', '?token=[redacted]&signature=[redacted]'],
    ['password=hunter22 user=x', 'password=[redacted] user=x'],
  ])('%s', (line, expected) => {
    expect(redactSecrets(line)).toBe(expected);
  });

  it('leaves ordinary values alone', () => {
    const line =
      '{"requestId":"0192f0c4-7d8e-7abc-9def-0123456789ab","tokenHint":"0a9b","claimToken":"0192f0c4-7d8e-7abc-9def-0123456789ab","url":"/v1/messages?status=failed","msg":"request completed"}';
    expect(redactSecrets(line)).toBe(line);
  });
});
