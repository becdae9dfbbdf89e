// The templates Hearback ships: defaults/<locale>/<kind>.<part>.liquid, read once on first use.
import { existsSync, readFileSync } from 'node:fs';
import { builtInMessageKinds } from '../decisions/decisions.schemas.js';
import { supportedLocales, type SupportedLocale } from './context.js';
import type { TemplateParts } from './render.js';

const DEFAULTS_DIR = new URL('./defaults/', import.meta.url);

let cache: Map<string, TemplateParts> | undefined;

function load(): Map<string, TemplateParts> {
  const found = new Map<string, TemplateParts>();
  for (const locale of supportedLocales) {
    for (const kind of builtInMessageKinds) {
      const file = (part: string) => new URL(`${locale}/${kind}.${part}.liquid`, DEFAULTS_DIR);
      if (!existsSync(file('subject'))) continue;
      found.set(`${kind}|${locale}`, {
        subject: readFileSync(file('subject'), 'utf8'),
        html: readFileSync(file('html'), 'utf8'),
        text: readFileSync(file('text'), 'utf8'),
      });
    }
  }
  return found;
}

export function defaultTemplate(kind: string, locale: SupportedLocale): TemplateParts | undefined {
  cache ??= load();
  return cache.get(`${kind}|${locale}`);
}
