// Which texts of an event PostgreSQL cannot store, and where they are.
import { describe, expect, it } from 'vitest';
import { type InboundEvent, unstorableText } from './events.js';

const hire = (name: string | null, emails: string[] = ['a@x.test']): InboundEvent => ({
  kind: 'hire',
  application: { externalId: 'app-1' },
  candidate: { externalId: 'cand-1', name, emails, phones: [] },
  requisition: { externalId: 'req-1', title: 'Engineer' },
  occurredAt: new Date(0),
  stage: null,
});

describe('unstorableText', () => {
  it('accepts any well-formed text, astral characters included', () => {
    expect(unstorableText(hire('Zoë 𝒜da 👩🏽‍💻 \u200b'))).toBeNull();
    expect(unstorableText(hire(null))).toBeNull();
    expect(unstorableText({ kind: 'ignored', eventType: 'x', reason: 'y' })).toBeNull();
  });

  it('names the field holding U+0000', () => {
    expect(unstorableText(hire('Ada\u0000'))).toEqual({ path: 'candidate.name', problem: 'contains U+0000 (NUL), which cannot be stored' });
    expect(unstorableText(hire('Ada', ['a@x.test', 'b\u0000@x.test']))?.path).toBe('candidate.emails.1');
  });

  it('names a lone high or low surrogate, and accepts a pair', () => {
    expect(unstorableText(hire('x\ud800y'))).toEqual({ path: 'candidate.name', problem: 'contains an unpaired surrogate (U+D800), which is not text' });
    expect(unstorableText(hire('x\udfffy'))?.problem).toContain('U+DFFF');
    expect(unstorableText(hire('end\ud83d'))?.problem).toContain('U+D83D');
    expect(unstorableText(hire('\ud83d\ude00'))).toBeNull();
  });
});
