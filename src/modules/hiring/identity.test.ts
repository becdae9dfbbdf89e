import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanEmail, isMailbox, normalizeEmail } from './identity.js';

/** The rule before: trimmed, NFC, lower case (what older rows hold). */
const before = (raw: string) => raw.trim().normalize('NFC').toLowerCase();

describe('normalizeEmail', () => {
  it('sees through what a person cannot see or would not type differently', () => {
    const same = [
      'jane.doe@example.com',
      ' Jane.Doe@Example.COM ',
      'jane.doe@example.com.', // trailing dot of the domain
      'ｊａｎｅ.ｄｏｅ@ｅｘａｍｐｌｅ.ｃｏｍ', // full-width letters
      'jane.doe＠example．com', // full-width at sign and full stop
      'ja\u00adne.doe@exam\u00adple.com', // soft hyphens
      'jane\u200b.doe@exa\u200dmple.com\ufeff', // zero-width space and joiner, BOM
      '\u2060jane.doe@example.com', // word joiner
      'jane.doe@example。com', // ideographic full stop
    ];
    for (const address of same) expect(normalizeEmail(address), JSON.stringify(address)).toBe('jane.doe@example.com');
  });

  it('has one form for an internationalised domain: ASCII', () => {
    expect(normalizeEmail('Ana@Bücher.Example')).toBe('ana@xn--bcher-kva.example');
    expect(normalizeEmail('ana@xn--bcher-kva.example')).toBe('ana@xn--bcher-kva.example');
    expect(normalizeEmail('ana@XN--BCHER-KVA.example.')).toBe('ana@xn--bcher-kva.example');
    expect(normalizeEmail('josé@例え.テスト')).toBe('josé@xn--r8jz45g.xn--zckzah');
    // Unicode local parts stay Unicode (only case and compatibility forms are folded).
    expect(normalizeEmail('JOSÉ@example.com')).toBe('josé@example.com');
    // Spaces left before the trailing dots go with them (the property below found "@ ." giving "@ ", then "@").
    expect(normalizeEmail('jane@example.com. .')).toBe('jane@example.com');
    expect(normalizeEmail('@ .')).toBe('@');
  });

  it('keeps telling different addresses apart', () => {
    expect(normalizeEmail('jane.doe@example.com')).not.toBe(normalizeEmail('janedoe@example.com'));
    expect(normalizeEmail('jane@bücher.example')).not.toBe(normalizeEmail('jane@bucher.example'));
  });

  it('is total and idempotent, and maps what the old rule stored to the same value as the raw address', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 30 });
    const emailish = fc
      .tuple(text, fc.constantFrom('', ' ', '\u00ad', '\u200b', 'Ａ', 'ß', 'İ'), text, fc.constantFrom('.com', '.com.', '.bücher', '.XN--BCHER-KVA', ''))
      .map(([local, noise, domain, tld]) => `${local}${noise}@${domain}${tld}`);
    fc.assert(
      fc.property(fc.oneof(text, emailish), (raw) => {
        const normalized = normalizeEmail(raw);
        expect(normalizeEmail(normalized)).toBe(normalized);
        expect(normalizeEmail(before(raw))).toBe(normalized);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('isMailbox', () => {
  it('accepts the addresses people have', () => {
    for (const address of [
      'jane@example.com',
      "o'brien+jobs@example.co.uk",
      'j.d-x_1@sub.example.io',
      'josé.garcía@bücher.example',
      'θεόδωρος@παράδειγμα.ελ',
      'ana@xn--bcher-kva.example',
      'user@123.example.com',
    ]) {
      expect(isMailbox(cleanEmail(address)), address).toBe(true);
    }
  });

  it('refuses what is not a mailbox', () => {
    const refused = [
      'x"><svg/onload=alert(1)>@evil.test',
      '<jane@example.com>',
      'Jane <jane@example.com>',
      '"jane doe"@example.com',
      'jane doe@example.com',
      'jane@example com',
      '.jane@example.com',
      'jane.@example.com',
      'ja..ne@example.com',
      'jane@localhost',
      'jane@example..com',
      'jane@-example.com',
      'jane@example-.com',
      'jane@exa_mple.com',
      'jane@[127.0.0.1]',
      'jane@1.2.3.4',
      'jane@example.com(comment)',
      '@example.com',
      'jane@',
      'jane',
      `${'a'.repeat(65)}@example.com`,
      `jane@${'a'.repeat(64)}.com`,
      'jane@xn--.example',
    ];
    for (const address of refused) expect(isMailbox(cleanEmail(address)), address).toBe(false);
  });
});
