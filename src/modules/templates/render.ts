// LiquidJS in its strictest form: no file access (includes resolve against an empty in-memory
// map), unknown variables and filters are errors, HTML output is escaped, and parse/render work
// is bounded. Templates are checked on save (syntax, every variable against the context shape,
// a render of rich and sparse sample data) so a bad one is refused with its line, not sent.
import { Context, Drop, Liquid, LiquidError, toValueSync, type Template } from 'liquidjs';
import { contextShape, type Shape, type TemplateContext } from './context.js';
import { withWrapFilter, wrapFilter } from './wrap.js';

export type TemplatePart = 'subject' | 'html' | 'text';
export type TemplateParts = Record<TemplatePart, string>;

export interface TemplateProblem {
  part: TemplatePart;
  line: number | null;
  column: number | null;
  message: string;
}

/**
 * Wall-clock milliseconds a render may take on a first try, and on its retry. Unlike the parse
 * and memory limits (counts, the same every time), time depends on the machine: a cold or busy
 * process can exceed it once, so running out of time is retried with more, and only then is a
 * RenderTimeLimitError.
 */
export const RENDER_TIME_LIMIT_MS = 200;
export const RETRY_RENDER_TIME_LIMIT_MS = 10 * RENDER_TIME_LIMIT_MS;

/** The first try's budget and the retry's (a retry only happens when it is larger). */
export interface RenderTimeLimits {
  timeLimitMs?: number;
  retryTimeLimitMs?: number;
}

/** A render ran out of wall-clock time: says nothing about the template, so it is worth retrying. */
export class RenderTimeLimitError extends Error {
  override name = 'RenderTimeLimitError';
  constructor(
    readonly limitMs: number,
    options?: ErrorOptions,
  ) {
    super(`the template took longer than ${limitMs} ms to render`, options);
  }
}

// A template that needs more than this is broken or hostile: an email is never that much work.
const engineLimits = { parseLimit: 200_000, renderLimit: RENDER_TIME_LIMIT_MS, memoryLimit: 20_000_000 };
const common = { strictVariables: true, strictFilters: true, ownPropertyOnly: true, templates: {}, ...engineLimits };
const engines: Record<TemplatePart, Liquid> = {
  subject: new Liquid(common),
  html: new Liquid({ ...common, outputEscape: 'escape' }),
  text: new Liquid(common),
};

/** Hearback's own filters, on every engine (and on any other engine that renders our templates). */
export function registerFilters(engine: Liquid): Liquid {
  engine.registerFilter('wrap', wrapFilter);
  return engine;
}
for (const engine of Object.values(engines)) registerFilters(engine);

/** Liquid's built-in loop objects, always in scope inside their tags. */
const BUILT_INS = new Set(['forloop', 'tablerowloop']);

function position(error: unknown): { line: number | null; column: number | null } {
  const token = (error as { token?: { getPosition?: () => [number, number] } }).token;
  const found = token?.getPosition?.();
  if (found) return { line: found[0], column: found[1] };
  const match = /line:(\d+), col:(\d+)/.exec((error as Error).message ?? '');
  return match ? { line: Number(match[1]), column: Number(match[2]) } : { line: null, column: null };
}

/** Liquid's message without its own position suffix (we report line and column separately). */
const messageOf = (error: unknown) => {
  const message = ((error as Error).message ?? String(error)).replace(/, line:\d+, col:\d+$/, '').split('\n')[0]!;
  // Includes resolve against an empty map: say so instead of a file-lookup error.
  return /ENOENT|Failed to lookup/.test(message) ? 'templates cannot include, render or extend other templates' : message;
};

function knownPath(segments: unknown[], shape: Shape): boolean {
  let at: Shape = shape;
  for (const segment of segments) {
    if (Array.isArray(at)) {
      // A list: any index (or a computed one), then the item's shape; `size`/`first`/`last` too.
      if (typeof segment === 'number' || typeof segment === 'object') at = at[0];
      else return ['size', 'first', 'last'].includes(String(segment));
      continue;
    }
    if (at === true) return String(segment) === 'size';
    if (typeof segment !== 'string' || !Object.hasOwn(at, segment)) return false;
    at = at[segment]!;
  }
  return true;
}

function parse(part: TemplatePart, source: string): { template?: Template[]; problem?: TemplateProblem } {
  try {
    return { template: engines[part].parse(source) };
  } catch (error) {
    return { problem: { part, ...position(error), message: messageOf(error) } };
  }
}

/** Every problem in the three parts; an empty list means the template may be saved. */
export function checkTemplate(parts: TemplateParts, samples: TemplateContext[], limits: RenderTimeLimits = {}): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const part of ['subject', 'html', 'text'] as const) {
    const { template, problem } = parse(part, parts[part]);
    if (problem || !template) {
      problems.push(problem!);
      continue;
    }
    const analysis = engines[part].analyzeSync(template, { partials: false });
    const unknown = Object.values(analysis.globals)
      .flat()
      .filter((variable) => {
        const [root, ...rest] = variable.toArray();
        return !BUILT_INS.has(String(root)) && !knownPath([root, ...rest], contextShape);
      });
    for (const variable of unknown) {
      problems.push({ part, line: variable.location.row, column: variable.location.col, message: `unknown variable "${variable.toString()}"` });
    }
    if (unknown.length > 0) continue;
    for (const sample of samples) {
      try {
        renderPart(part, template, sample, limits);
      } catch (error) {
        problems.push({ part, ...position(error), message: messageOf(error) });
        break;
      }
    }
  }
  return problems;
}

/** Parsed templates by part and source: a plan renders the same few templates thousands of times. */
const parsed = new Map<string, Template[]>();
const PARSED_MAX = 500;
/**
 * The same, by the template object itself: a render job reads each template once and passes
 * that object for every message, so most lookups need not hash the whole source.
 */
const parsedByParts = new WeakMap<TemplateParts, { sources: TemplateParts; template: Record<TemplatePart, Template[]> }>();

function parsedTemplate(part: TemplatePart, source: string): Template[] {
  const key = `${part}\u0000${source}`;
  let template = parsed.get(key);
  if (!template) {
    template = engines[part].parse(withWrapFilter(source));
    // Oldest first out: templates change rarely, so this almost never evicts.
    if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value!);
    parsed.set(key, template);
  }
  return template;
}

function parsedParts(parts: TemplateParts): Record<TemplatePart, Template[]> {
  const found = parsedByParts.get(parts);
  // The sources are compared too, in case the object was changed (the same strings compare at once).
  if (found && found.sources.subject === parts.subject && found.sources.html === parts.html && found.sources.text === parts.text) return found.template;
  const template = { subject: parsedTemplate('subject', parts.subject), html: parsedTemplate('html', parts.html), text: parsedTemplate('text', parts.text) };
  parsedByParts.set(parts, { sources: { subject: parts.subject, html: parts.html, text: parts.text }, template });
  return template;
}

/**
 * A failure the same template and data cause again: Liquid's errors (syntax, unknown variables
 * and filters, a failing filter) and its count limits (parse length, memory). Never the time limit.
 */
export const isTemplateFailure = (error: unknown) => LiquidError.is(error) || (error instanceof Error && error.name === 'AssertionError');

/** LiquidJS reports its wall-clock limit as an assertion (wrapped in a RenderError when nested). */
const isTimeLimit = (error: unknown) => error instanceof Error && /^template render limit exceeded/.test(error.message);

/** An output as LiquidJS's own emitter writes it (its `stringify`, which it does not export). */
const outputText = (value: unknown): string => {
  const v: unknown = value instanceof Drop && typeof value.valueOf === 'function' ? value.valueOf() : value;
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(outputText).join('');
  // What String() gives, whatever the value (an object's own toString included).
  return `${Reflect.apply(String, undefined, [v])}`;
};

/** LiquidJS's plain emitter that also keeps each write: the template's own text and each output, in order. */
class PiecesEmitter {
  buffer = '';
  constructor(readonly pieces: string[]) {}
  write(html: unknown) {
    const text = outputText(html);
    this.pieces.push(text);
    this.buffer += text;
  }
}

/**
 * `renderSync` as LiquidJS does it (a context, then the templates driven to their end), with an
 * emitter that keeps the pieces.
 */
function renderInPieces(engine: Liquid, template: Template[], context: TemplateContext, renderLimit: number, pieces: string[]): string {
  pieces.length = 0;
  const ctx = new Context(context, engine.options, { sync: true, renderLimit }, { liquid: engine });
  const emitter = new PiecesEmitter(pieces);
  toValueSync(engine.renderer.renderTemplates(template, ctx, emitter));
  return emitter.buffer;
}

/** One part within the first budget, or else within the retry's; RenderTimeLimitError past both. */
function renderPart(part: TemplatePart, template: Template[], context: TemplateContext, limits: RenderTimeLimits, pieces?: string[]): string {
  const first = limits.timeLimitMs ?? RENDER_TIME_LIMIT_MS;
  const retry = limits.retryTimeLimitMs ?? RETRY_RENDER_TIME_LIMIT_MS;
  const within = (renderLimit: number) =>
    pieces ? renderInPieces(engines[part], template, context, renderLimit, pieces) : (engines[part].renderSync(template, context, { renderLimit }) as string);
  try {
    return within(first);
  } catch (error) {
    if (!isTimeLimit(error)) throw error;
    if (retry <= first) throw new RenderTimeLimitError(first, { cause: error });
  }
  try {
    return within(retry);
  } catch (error) {
    if (isTimeLimit(error)) throw new RenderTimeLimitError(retry, { cause: error });
    throw error;
  }
}

/** Renders the three parts within the time limits; throws RenderTimeLimitError past them, Liquid's errors otherwise. */
export function renderTemplate(parts: TemplateParts, context: TemplateContext, limits: RenderTimeLimits = {}): TemplateParts {
  return renderParts(parts, context, limits);
}

function renderParts(parts: TemplateParts, context: TemplateContext, limits: RenderTimeLimits, htmlPieces?: string[]): TemplateParts {
  const template = parsedParts(parts);
  const render = (part: TemplatePart, pieces?: string[]) => renderPart(part, template[part], context, limits, pieces);
  return { subject: render('subject').replace(/\s+/g, ' ').trim(), html: render('html', htmlPieces), text: render('text') };
}

/**
 * renderTemplate, and the HTML part as the pieces LiquidJS wrote (the template's own text and
 * each output, in order; joined, they are the part). Most pieces are the same in every message
 * of a plan, so the foreign-data check reuses what it read in them (see findForeignData).
 */
export function renderTemplateInPieces(parts: TemplateParts, context: TemplateContext, limits: RenderTimeLimits = {}): { content: TemplateParts; htmlPieces: string[] } {
  const htmlPieces: string[] = [];
  return { content: renderParts(parts, context, limits, htmlPieces), htmlPieces };
}

/** Liquid's output and tag markup: what is left between them is the template's own text. */
const LIQUID_MARKUP = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/;
const literalsByTemplate = new Map<string, string[]>();

/** The template's own text, as the pieces between its Liquid markup (cached per template). */
export function templateLiterals(parts: TemplateParts): string[] {
  const key = `${parts.subject}\u0000${parts.html}\u0000${parts.text}`;
  let literals = literalsByTemplate.get(key);
  if (!literals) {
    literals = [parts.subject, parts.html, parts.text].flatMap((source) => source.split(LIQUID_MARKUP)).filter((piece) => piece.trim() !== '');
    if (literalsByTemplate.size >= PARSED_MAX) literalsByTemplate.delete(literalsByTemplate.keys().next().value!);
    literalsByTemplate.set(key, literals);
  }
  return literals;
}

/** Every text and number a context holds: what a message rendered from it may legitimately say. */
export function contextValues(context: unknown): string[] {
  if (typeof context === 'string') return [context];
  if (typeof context === 'number') return [String(context)];
  if (context === null || typeof context !== 'object') return [];
  return Object.values(context).flatMap(contextValues);
}
