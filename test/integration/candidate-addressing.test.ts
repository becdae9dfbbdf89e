// How candidates are addressed, end to end: the organization's formality reaches the email and
// the page alike; greetings use the preferred name or a real first name; To carries the
// candidate's name and Reply-To a person or inbox that answers; open tracking follows the
// organization's setting, off by default, and the page says when it is on.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { setUpSending, startDelivery } from '../helpers/delivery.js';
import { bearer, createOrganization, type TestOrganization } from '../helpers/factories.js';
import { sendRejections } from '../helpers/sent-messages.js';
import { startPostmarkServer, type PostmarkFake } from '../postmark/server.js';

let ctx: TestContext;
let fake: PostmarkFake;
let org: TestOrganization;
let delivery: Awaited<ReturnType<typeof startDelivery>>;

beforeAll(async () => {
  fake = await startPostmarkServer();
  ctx = await createTestContext({ OUTBOX_POLL_MS: '50', POSTMARK_API_URL: fake.url, PUBLIC_BASE_URL: 'http://localhost:3000', PAGE_RATE_LIMIT_PER_MINUTE: '100000' });
  org = await createOrganization(ctx.deps, 'Northwind');
  await setUpSending(ctx, org);
  delivery = await startDelivery(ctx);
});
afterAll(async () => {
  await delivery?.stop();
  await ctx?.close();
  await fake?.close();
});

const api = () => request(ctx.app.server);
const feedback = {
  reasonCategory: 'experience_level',
  strengths: ['A very clear system design walkthrough'],
  areasToImprove: ['Hands-on experience with Kubernetes operators'],
  competencies: [],
  nextSteps: { talentPoolInvite: false, otherOpenings: [] },
};
const emailTo = (messageId: string) => fake.messages().find((m) => m.Metadata?.hearback_message_id === messageId)!;
/** A display name as a mail client shows it: RFC 2047 words decoded. */
const shownName = (header: string) =>
  header
    .replace(/ <[^>]+>$/, '')
    .split(' ')
    .map((word) => Buffer.from(/^=\?UTF-8\?B\?(.*)\?=$/.exec(word)![1]!, 'base64').toString('utf8'))
    .join('');

describe('organization settings for candidates', () => {
  it('start formal, without open tracking or a reply address', async () => {
    const shown = await api().get('/v1/organization').set(bearer(org.adminKey));
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ formality: { es: 'formal' }, trackOpens: false, replyToEmail: null });
  });

  it('refuse a register for a language that ships only one, an unknown register and a malformed address', async () => {
    for (const body of [{ formality: { en: 'informal' } }, { formality: { de: 'casual' } }, { replyToEmail: 'jobs at northwind' }, { replyToEmail: 'x'.repeat(320) + '@x.test' }]) {
      const refused = await api().patch('/v1/organization').set(bearer(org.adminKey)).send(body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.code).toBe('validation_failed');
    }
  });
});

describe('a Spanish rejection', () => {
  let formal: Awaited<ReturnType<typeof sendRejections>>;
  beforeAll(async () => {
    formal = await sendRejections(ctx, org, fake, [
      { name: 'Dr. Jane Smith', email: 'jane@x.test', locale: 'es', feedback },
      { name: 'José Núñez', preferredName: 'Pepe', email: 'jose@x.test', locale: 'es-MX', feedback },
    ]);
  });

  it('says usted in the email and on the page, and greets by first name, never by title', async () => {
    const email = emailTo(formal['Dr. Jane Smith']!.messageId);
    expect(email.TextBody).toContain('Hola, Jane:');
    expect(email.TextBody).toContain('Sus puntos fuertes');
    expect(email.TextBody).not.toMatch(/\btu candidatura\b/i);
    const page = await api().get(`/f/${formal['Dr. Jane Smith']!.token}`);
    expect(page.text).toContain('Hola, <bdi>Jane</bdi>:');
    expect(page.text).toContain('Sus puntos fuertes');
    expect(page.text).toContain('Les ayuda a mejorar sus comentarios');
    expect(page.text).not.toMatch(/\btu candidatura\b/i);
  });

  it('greets by the preferred name', async () => {
    expect(emailTo(formal['José Núñez']!.messageId).TextBody).toContain('Hola, Pepe:');
    expect((await api().get(`/f/${formal['José Núñez']!.token}`)).text).toContain('Hola, <bdi>Pepe</bdi>:');
  });

  it('is addressed to the candidate by name, replies go to the hiring contact, and opens are not tracked', async () => {
    const jane = emailTo(formal['Dr. Jane Smith']!.messageId);
    expect(jane.To).toBe('"Dr. Jane Smith" <jane@x.test>');
    expect(jane.ReplyTo).toBe('"Rita Alves" <rita@northwind.test>');
    expect(jane.TrackOpens).toBe(false);
    const jose = emailTo(formal['José Núñez']!.messageId);
    expect(jose.To).toMatch(/^[\x20-\x7e]+ <jose@x\.test>$/);
    expect(shownName(jose.To)).toBe('José Núñez');
    expect((await api().get(`/f/${formal['Dr. Jane Smith']!.token}`)).text).not.toContain('imagen invisible');
  });

  it('says tú in both once the organization chooses it, replies go to its inbox, and tracked opens are disclosed', async () => {
    const patched = await api()
      .patch('/v1/organization')
      .set(bearer(org.adminKey))
      .send({ formality: { es: 'informal' }, trackOpens: true, replyToEmail: 'jobs@northwind.test' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ formality: { es: 'informal' }, trackOpens: true, replyToEmail: 'jobs@northwind.test' });

    const informal = await sendRejections(ctx, org, fake, [{ name: 'Lucía Pérez', email: 'lucia@x.test', locale: 'es', feedback }]);
    const email = emailTo(informal['Lucía Pérez']!.messageId);
    expect(email.TextBody).toContain('Tus puntos fuertes');
    expect(email.TextBody).not.toMatch(/\bsu candidatura\b/i);
    expect(email.ReplyTo).toBe('"Northwind Talent" <jobs@northwind.test>');
    expect(email.TrackOpens).toBe(true);
    const page = await api().get(`/f/${informal['Lucía Pérez']!.token}`);
    expect(page.text).toContain('Tus puntos fuertes');
    expect(page.text).toContain('¿Qué te gustaría saber?');
    expect(page.text).toContain('avisan a la empresa cuando los abres, mediante una imagen invisible');
    expect(page.text).not.toMatch(/\bsu candidatura\b/i);

    // Back to usted later: Lucía's page keeps speaking as her email did.
    expect(
      (
        await api()
          .patch('/v1/organization')
          .set(bearer(org.adminKey))
          .send({ formality: { es: 'formal' } })
      ).status,
    ).toBe(200);
    try {
      const later = await api().get(`/f/${informal['Lucía Pérez']!.token}`);
      expect(later.text).toContain('¿Qué te gustaría saber?');
      expect(later.text).not.toMatch(/\bsu candidatura\b/i);
    } finally {
      await api()
        .patch('/v1/organization')
        .set(bearer(org.adminKey))
        .send({ formality: { es: 'informal' } });
    }
  });
});

describe('German and French, informal once chosen', () => {
  it('say du and tu in the email and on the page alike, and Sie and vous before', async () => {
    const before = await sendRejections(ctx, org, fake, [
      { name: 'Dr. Jana Schmidt', email: 'jana@x.test', locale: 'de', feedback },
      { name: 'Camille Durand', email: 'camille@x.test', locale: 'fr-CA', feedback },
    ]);
    expect(emailTo(before['Dr. Jana Schmidt']!.messageId).TextBody).toContain('Ihre Stärken');
    expect((await api().get(`/f/${before['Dr. Jana Schmidt']!.token}`)).text).toContain('Was möchten Sie wissen?');
    expect(emailTo(before['Camille Durand']!.messageId).TextBody).toContain('Vos points forts');

    const patched = await api()
      .patch('/v1/organization')
      .set(bearer(org.adminKey))
      .send({ formality: { de: 'informal', fr: 'informal' } });
    expect(patched.status).toBe(200);
    expect(patched.body.formality).toMatchObject({ de: 'informal', fr: 'informal' });
    try {
      const after = await sendRejections(ctx, org, fake, [
        { name: 'Dr. Jonas Weber', preferredName: 'Jonas', email: 'jonas@x.test', locale: 'de-AT', feedback },
        { name: 'Léa Martin', email: 'lea@x.test', locale: 'fr', feedback },
      ]);
      const german = emailTo(after['Dr. Jonas Weber']!.messageId).TextBody;
      expect(german).toContain('Hallo Jonas,');
      expect(german).toContain('Deine Stärken');
      expect(german).not.toMatch(/\b(Sie|Ihre|Ihnen)\b/);
      const germanPage = (await api().get(`/f/${after['Dr. Jonas Weber']!.token}`)).text;
      expect(germanPage).toContain('Was möchtest du wissen?');
      expect(germanPage).toContain('Hallo <bdi>Jonas</bdi>,');
      expect(germanPage).not.toMatch(/\b(Ihre|Ihnen)\b/);

      const french = emailTo(after['Léa Martin']!.messageId).TextBody;
      expect(french).toContain('Tes points forts');
      expect(french).not.toMatch(/\b(vous|votre|vos)\b/i);
      const frenchPage = (await api().get(`/f/${after['Léa Martin']!.token}`)).text;
      expect(frenchPage).toContain('Que souhaites-tu savoir');
      expect(frenchPage).not.toMatch(/\b(vous|votre|vos)\b/i);

      // Earlier messages keep the register they were written in.
      expect((await api().get(`/f/${before['Dr. Jana Schmidt']!.token}`)).text).toContain('Was möchten Sie wissen?');
    } finally {
      await api()
        .patch('/v1/organization')
        .set(bearer(org.adminKey))
        .send({ formality: { de: 'formal', fr: 'formal' } });
    }
  });
});

describe('a Portuguese rejection', () => {
  it('is written in Portuguese, email and page alike, with the reason as a clause', async () => {
    const sent = await sendRejections(ctx, org, fake, [{ name: 'João Pereira', email: 'joao@x.test', locale: 'pt-BR', feedback }]);
    const email = emailTo(sent['João Pereira']!.messageId);
    expect(email.TextBody).toContain('Olá, João,');
    expect((email.TextBody ?? '').replace(/\s+/g, ' ')).toContain('principalmente porque a vaga exige outro nível de experiência');
    expect(email.TextBody).toContain('Seus pontos fortes');
    const page = (await api().get(`/f/${sent['João Pereira']!.token}`)).text;
    expect(page).toContain('<html lang="pt"');
    expect(page).toContain('Seus pontos fortes');
    expect(page).toContain('O que você gostaria de saber?');
  });
});

describe('Italian and Dutch, in either register', () => {
  it('say Lei and u until the organization chooses tu and je, in the email and on the page alike', async () => {
    const formal = await sendRejections(ctx, org, fake, [
      { name: 'Giulia Bianchi', email: 'giulia@x.test', locale: 'it-IT', feedback },
      { name: 'Sanne de Vries', email: 'sanne@x.test', locale: 'nl-BE', feedback },
    ]);
    const giulia = emailTo(formal['Giulia Bianchi']!.messageId).TextBody ?? '';
    expect(giulia).toContain('Gentile Giulia,');
    expect(giulia).toContain('I suoi punti di forza');
    expect(giulia.replace(/\s+/g, ' ')).toContain('soprattutto perché il ruolo richiede un diverso livello di esperienza');
    expect((await api().get(`/f/${formal['Giulia Bianchi']!.token}`)).text).toContain('Che cosa desidera sapere?');
    const sanne = emailTo(formal['Sanne de Vries']!.messageId).TextBody ?? '';
    expect(sanne).toContain('Beste Sanne,');
    expect(sanne).toContain('Uw sterke punten');
    expect(sanne.replace(/\s+/g, ' ')).toContain('vooral omdat de functie een ander ervaringsniveau vraagt');
    expect((await api().get(`/f/${formal['Sanne de Vries']!.token}`)).text).toContain('Wat wilt u weten?');

    const patched = await api()
      .patch('/v1/organization')
      .set(bearer(org.adminKey))
      .send({ formality: { it: 'informal', nl: 'informal' } });
    expect(patched.status).toBe(200);
    try {
      const informal = await sendRejections(ctx, org, fake, [
        { name: 'Marco Rossi', email: 'marco@x.test', locale: 'it', feedback },
        { name: 'Daan Jansen', email: 'daan@x.test', locale: 'nl', feedback },
      ]);
      const marco = emailTo(informal['Marco Rossi']!.messageId).TextBody ?? '';
      expect(marco).toContain('Ciao Marco,');
      expect(marco).toContain('I tuoi punti di forza');
      expect(marco).not.toMatch(/\b(sua|suoi|Gentile)\b/);
      const marcoPage = (await api().get(`/f/${informal['Marco Rossi']!.token}`)).text;
      expect(marcoPage).toContain('Che cosa vuoi sapere?');
      expect(marcoPage).toContain('<html lang="it"');
      const daan = emailTo(informal['Daan Jansen']!.messageId).TextBody ?? '';
      expect(daan).toContain('Je sterke punten');
      expect(daan).not.toMatch(/\b(uw|alstublieft)\b/i);
      const daanPage = (await api().get(`/f/${informal['Daan Jansen']!.token}`)).text;
      expect(daanPage).toContain('Wat wil je weten?');
      expect(daanPage).toContain('Hoi <bdi>Daan</bdi>,');
    } finally {
      await api()
        .patch('/v1/organization')
        .set(bearer(org.adminKey))
        .send({ formality: { it: 'formal', nl: 'formal' } });
    }
  });
});

describe('a data request', () => {
  const csrfOf = (page: string) => /name="csrf" value="([^"]+)"/.exec(page)![1]!;

  const setGerman = async (formality: 'formal' | 'informal') =>
    expect(
      (
        await api()
          .patch('/v1/organization')
          .set(bearer(org.adminKey))
          .send({ formality: { de: formality } })
      ).status,
    ).toBe(200);

  it('speaks du in its email and pages when the message did, even after the organization goes back to Sie', async () => {
    await setGerman('informal');
    let token: string;
    try {
      token = (await sendRejections(ctx, org, fake, [{ name: 'Mila Braun', email: 'mila@x.test', locale: 'de', feedback }]))['Mila Braun']!.token;
    } finally {
      await setGerman('formal');
    }
    const csrf = csrfOf((await api().get(`/f/${token}`)).text);
    expect((await api().post(`/f/${token}/data-requests`).type('form').send({ csrf, kind: 'export' })).status).toBe(303);
    expect(await ctx.deps.dataRights.sendConfirmations()).toBe(1);

    const formalYou = /(^|[^\p{L}])(Sie|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihnen)(?=$|[^\p{L}])/u;
    const email = fake.messages().find((m) => m.Tag === 'data-export-confirmation' && m.To.includes('mila@x.test'))!;
    expect(email.Subject).toBe('Bestätige deine Anfrage nach einer Kopie deiner Daten');
    expect(email.TextBody).toContain('Du hast Northwind um eine Kopie der über dich gespeicherten Daten gebeten.');
    expect(`${email.Subject} ${email.TextBody} ${email.HtmlBody}`).not.toMatch(formalYou);

    const link = /\/f\/export\/([A-Za-z0-9_-]{43})/.exec(email.TextBody ?? '')![1]!;
    const confirm = (await api().get(`/f/export/${link}`)).text;
    expect(confirm).toContain('Eine Kopie deiner Daten');
    expect(confirm).toContain('Bestätige, um deine Download-Links zu erhalten.');
    expect(confirm).not.toMatch(formalYou);
    const ready = (await api().post(`/f/export/${link}`)).text;
    expect(ready).toContain('Deine Daten sind bereit.');
    expect(ready).not.toMatch(formalYou);
    const download = /\/f\/export\/download\/([A-Za-z0-9_-]{43})\/html/.exec(ready)![1]!;
    const readable = (await api().get(`/f/export/download/${download}/html`)).text;
    expect(readable).toContain('<h1>Deine Daten</h1>');
    expect(readable).toContain('Was du auf deiner Seite getan hast');
  });
});

describe('branding', () => {
  it('refuses an accent colour that fails WCAG AA against white, and a link that is not https', async () => {
    for (const body of [{ accentColor: '#ffcc00' }, { accentColor: 'blue' }, { privacyPolicyUrl: 'http://northwind.test/privacy' }, { careersUrl: 'javascript:alert(1)' }]) {
      const refused = await api().patch('/v1/organization').set(bearer(org.adminKey)).send(body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.code).toBe('validation_failed');
    }
    expect((await api().get('/v1/organization').set(bearer(org.adminKey))).body.accentColor).toBe('#1d4ed8');
  });

  it('colours the emails and links the privacy policy and careers page from the emails and the page', async () => {
    const patched = await api()
      .patch('/v1/organization')
      .set(bearer(org.adminKey))
      .send({ accentColor: '#7C2D12', privacyPolicyUrl: 'https://northwind.test/privacy', careersUrl: 'https://northwind.test/careers' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ accentColor: '#7c2d12', privacyPolicyUrl: 'https://northwind.test/privacy', careersUrl: 'https://northwind.test/careers' });

    const sent = await sendRejections(ctx, org, fake, [{ name: 'Kim Lee', email: 'kim@x.test', locale: 'en', feedback }]);
    const email = emailTo(sent['Kim Lee']!.messageId);
    expect(email.HtmlBody).toContain('bgcolor="#7c2d12"');
    expect(email.HtmlBody).not.toContain('#1d4ed8');
    expect(email.HtmlBody).toContain('href="https://northwind.test/privacy"');
    expect(email.TextBody).toContain('Careers at Northwind: https://northwind.test/careers');
    const page = await api().get(`/f/${sent['Kim Lee']!.token}`);
    expect(page.text).toContain('<a href="https://northwind.test/privacy">Privacy policy</a>');
    expect(page.text).toContain('<a href="https://northwind.test/careers">Careers at <bdi>Northwind</bdi></a>');
  });
});
