// The only way this view builds markup. Text goes through `escapeHtml` on its way in, so an
// organization's or a candidate's words can never become tags or break out of an attribute;
// only the literal parts of `html` templates (written here, in this folder) are raw markup.

/** Markup that is already safe to emit: produced by `html` or `fill`, never from input. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What a template accepts: text (escaped), safe markup (as is), nothing, or a list of these. */
export type Interpolation = string | number | SafeHtml | null | undefined | false | readonly Interpolation[];

const entities: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// C0 and C1 controls (tab, newline and carriage return excepted) are parse errors in HTML and
// have no place in feedback; they are dropped rather than escaped. One pass finds both: most
// texts have neither and come back as they are.
const special = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F&<>"']/g;

/** Text as HTML, safe in element content and in double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(special, (char) => entities[char] ?? '');
}

function emit(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return (value as readonly Interpolation[]).map(emit).join('');
  return escapeHtml(String(value));
}

/** Tagged template: the literal parts are markup, every interpolated value is escaped. */
export function html(literals: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = literals[0] ?? '';
  values.forEach((value, index) => {
    out += emit(value) + (literals[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

/**
 * A translated sentence with `{placeholders}`: the sentence is text (escaped), each value is
 * interpolated like in `html`, so a value may be markup (a link, an isolated name). A
 * placeholder without a value is a bug in the strings table, and throws.
 */
export function fill(template: string, values: Record<string, Interpolation> = {}): SafeHtml {
  const parts = template.split(/\{(\w+)\}/);
  let out = '';
  parts.forEach((part, index) => {
    if (index % 2 === 0) {
      out += escapeHtml(part);
      return;
    }
    if (!(part in values)) throw new Error(`No value for {${part}} in "${template}"`);
    out += emit(values[part]);
  });
  return new SafeHtml(out);
}

/** A translated sentence filled as plain text (an email's text part or subject): nothing is escaped. */
export function fillText(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`No value for {${name}} in "${template}"`);
    return value;
  });
}

/** The placeholders a translated sentence expects, in order of first use. */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? ''))];
}
