// The templates Hearback ships: defaults/<locale>/<kind>.<part>.liquid in the formal register,
// defaults/<locale>/informal/ in the informal one where the language has two; read once.
import { existsSync, readFileSync } from 'node:fs';
import { builtInMessageKinds } from '../decisions/decisions.schemas.js';
import { supportedLocales, type SupportedLocale } from './context.js';
import { defaultFormality, type Formality } from './formality.js';
import type { TemplateParts } from './render.js';

const DEFAULTS_DIR = new URL('./defaults/', import.meta.url);

let cache: Map<string, TemplateParts> | undefined;

function load(): Map<string, TemplateParts> {
  const found = new Map<string, TemplateParts>();
  for (const locale of supportedLocales) {
    const registers: Formality[] = locale in defaultFormality ? ['formal', 'informal'] : ['formal'];
    for (const [kind, formality] of builtInMessageKinds.flatMap((k) => registers.map((f) => [k, f] as const))) {
      const dir = formality === 'formal' ? `${locale}/` : `${locale}/informal/`;
      const file = (part: string) => new URL(`${dir}${kind}.${part}.liquid`, DEFAULTS_DIR);
      if (!existsSync(file('subject'))) continue;
      found.set(`${kind}|${locale}|${formality}`, {
        subject: readFileSync(file('subject'), 'utf8'),
        html: readFileSync(file('html'), 'utf8'),
        text: readFileSync(file('text'), 'utf8'),
      });
    }
  }
  return found;
}

/** The shipped template in a register; English and other one-register languages have only `formal`. */
export function defaultTemplate(kind: string, locale: SupportedLocale, formality: Formality = 'formal'): TemplateParts | undefined {
  cache ??= load();
  return cache.get(`${kind}|${locale}|${formality}`) ?? cache.get(`${kind}|${locale}|formal`);
}
