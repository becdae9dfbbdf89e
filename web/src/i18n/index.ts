// t('inbox.approved', { time }): a string from the catalogue, placeholders filled. English only
// for now; the catalogue's shape is what fr/de/es will fill.
import { en, type Catalogue } from './en';

/** The open maps, looked up by code with word(); every other section is a set of fixed strings. */
type Maps = 'kinds' | 'statuses' | 'reasons' | 'languages' | 'applicationStatuses' | 'linkReasons' | 'roles' | 'reasonCategories';
type Sections = Exclude<keyof Catalogue, Maps>;
export type MessageKey = { [S in Sections]: `${S}.${keyof Catalogue[S] & string}` }[Sections];

const catalogue: Catalogue = en;

export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  let node: unknown = catalogue;
  for (const part of key.split('.')) node = (node as Record<string, unknown>)[part];
  const text = typeof node === 'string' ? node : key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}

/** A word from one of the open maps (kinds, statuses, reasons, languages), or the code itself. */
export function word(map: Maps, code: string | null | undefined): string {
  if (!code) return '—';
  return catalogue[map][code] ?? code.replaceAll('_', ' ');
}
