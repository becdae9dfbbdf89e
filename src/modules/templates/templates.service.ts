// Message templates per organization, kind and locale: the shipped defaults until a custom
// version is saved; every save is checked (syntax, variables, a sample render) and versioned.
import type { PrismaClient } from '../../db/client.js';
import { AppError, notFound } from '../../lib/errors.js';
import { auditRepository } from '../audit/audit.repository.js';
import type { Actor } from '../../lib/actor.js';
import type { RequisitionScope } from '../../lib/requisition-scope.js';
import { builtInMessageKinds } from '../decisions/decisions.schemas.js';
import { baseLocale, sampleContexts, supportedLocales, type TemplateContext } from './context.js';
import { defaultTemplate } from './defaults.js';
import { formalityFor } from './formality.js';
import { messageContext } from './message-context.js';
import { checkTemplate, renderTemplate, type TemplateParts } from './render.js';
import { templatesRepository as repo } from './templates.repository.js';

export type TemplatesService = ReturnType<typeof createTemplatesService>;

export function createTemplatesService({ db, publicBaseUrl }: { db: PrismaClient; publicBaseUrl: string }) {
  const samples = (locale: string) => {
    const { full, minimal } = sampleContexts(baseLocale(locale), publicBaseUrl);
    return [full, minimal];
  };
  const refuse = (problems: ReturnType<typeof checkTemplate>) =>
    new AppError('template_invalid', `The template has ${problems.length} error(s); the first: ${problems[0]!.part} line ${problems[0]!.line ?? '?'}: ${problems[0]!.message}`, {
      extensions: { problems },
    });

  /** The template in use: the organization's for this exact tag, then for its language, then ours (in its register). */
  async function current(organizationId: string, kind: string, locale: string) {
    const language = baseLocale(locale);
    // The register the organization chose for this language: ours is written in it, theirs is assumed to be.
    const formality = formalityFor(await repo.formality(db, organizationId), language);
    const custom = (await repo.latest(db, organizationId, kind, locale)) ?? (language !== locale ? await repo.latest(db, organizationId, kind, language) : null);
    if (custom) {
      const { subject, html, text, version, createdAt, createdBy } = custom;
      return { kind, locale, version, source: 'custom' as const, subject, html, text, createdAt, createdBy, formality };
    }
    const shipped = defaultTemplate(kind, language, formality);
    if (!shipped) throw notFound(`A "${kind}" template for locale ${locale}`);
    return { kind, locale, version: 0, source: 'default' as const, ...shipped, createdAt: null, createdBy: null, formality };
  }

  return {
    current,

    async list(organizationId: string) {
      const custom = await repo.latestOfEach(db, organizationId);
      const byKey = new Map(custom.map((t) => [`${t.kind}|${t.locale}`, t]));
      const rows = [];
      for (const kind of builtInMessageKinds) {
        for (const locale of supportedLocales) {
          const saved = byKey.get(`${kind}|${locale}`);
          byKey.delete(`${kind}|${locale}`);
          rows.push(
            saved
              ? { kind, locale, version: saved.version, source: 'custom' as const, createdAt: saved.createdAt }
              : { kind, locale, version: 0, source: 'default' as const, createdAt: null },
          );
        }
      }
      for (const saved of byKey.values()) rows.push({ ...saved, source: 'custom' as const });
      return rows;
    },

    async versions(organizationId: string, kind: string, locale: string) {
      return (await repo.versions(db, organizationId, kind, locale)).map(({ kind: k, locale: l, version, subject, html, text, createdAt, createdBy }) => ({
        kind: k,
        locale: l,
        version,
        source: 'custom' as const,
        subject,
        html,
        text,
        createdAt,
        createdBy,
      }));
    },

    async save(actor: Actor, kind: string, locale: string, parts: TemplateParts, baseVersion: number | undefined) {
      const problems = checkTemplate(parts, samples(locale));
      if (problems.length > 0) throw refuse(problems);
      return db.$transaction(async (tx) => {
        const latest = await repo.latest(tx, actor.organizationId, kind, locale);
        const currentVersion = latest?.version ?? 0;
        if (baseVersion !== undefined && baseVersion !== currentVersion) {
          throw new AppError('conflict', `Version ${currentVersion} was saved since version ${baseVersion}; reload and edit that one`, {
            extensions: { currentVersion },
          });
        }
        const row = await repo
          .create(tx, { organizationId: actor.organizationId, kind, locale, version: currentVersion + 1, createdBy: actor.actor, ...parts })
          .catch((error: unknown) => {
            // Two saves of the same version at once: the second learns it lost.
            if ((error as { code?: string }).code === 'P2002') throw new AppError('conflict', 'Another version was saved at the same moment; reload');
            throw error;
          });
        await auditRepository.record(tx, actor, [{ action: 'template.saved', entity: 'template', entityId: row.id, after: { kind, locale, version: row.version } }]);
        return { kind, locale, version: row.version, source: 'custom' as const, ...parts, createdAt: row.createdAt, createdBy: row.createdBy };
      });
    },

    async preview(
      organizationId: string,
      visible: RequisitionScope,
      request: { kind: string; locale: string; template?: TemplateParts | undefined; data: 'sample' | 'sample_minimal' | { messageId: string } },
    ) {
      let context: TemplateContext;
      let locale = request.locale;
      let kind = request.kind;
      if (typeof request.data === 'object') {
        const real = await messageContext(db, organizationId, request.data.messageId, publicBaseUrl, undefined, visible);
        context = real.context;
        locale = real.locale;
        kind = real.kind;
      } else {
        const [full, minimal] = samples(locale);
        context = request.data === 'sample' ? full! : minimal!;
      }
      const template = request.template ? { ...request.template, version: null } : await current(organizationId, kind, locale);
      if (request.template) {
        const problems = checkTemplate(request.template, samples(locale));
        if (problems.length > 0) throw refuse(problems);
      }
      return { ...renderTemplate(template, context), locale, version: template.version };
    },
  };
}
