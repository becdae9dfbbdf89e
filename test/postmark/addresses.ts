// Address lists as Postmark reads them: comma separated, each either `a@b.c` or
// `Name <a@b.c>` (names with commas must be quoted). The mailbox and domain patterns
// are the ones Postmark's support article on ErrorCode 300 says its backend uses.

export interface Address {
  Email: string;
  Name: string;
}

export type ParsedList = { ok: true; addresses: Address[] } | { ok: false; message: string };

const MAILBOX = /^[a-z0-9.!#$%&'`*+\-/=^_{}|~]+$/i;
const DOMAIN = /^((\.)?[a-zA-Z0-9-])+$/;

/** Splits on commas that are outside quotes and angle brackets. */
function splitList(value: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let angled = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    else if (ch === '<' && !quoted) angled = true;
    else if (ch === '>' && !quoted) angled = false;
    if (ch === ',' && !quoted && !angled) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function parseOne(raw: string, field: string): Address | string {
  const angle = /^(.*)<([^<>]*)>\s*$/s.exec(raw);
  const email = (angle ? angle[2] : raw)?.trim() ?? '';
  const name = angle ? (angle[1] ?? '').trim().replace(/^"(.*)"$/s, '$1') : '';
  const illegal = (what: string, hint = ''): string => `Error parsing '${field}': Illegal email ${what} '${email}'.${hint}`;
  const at = email.lastIndexOf('@');
  if (at < 0) return illegal('address', " It must contain the '@' symbol.");
  const mailbox = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (!MAILBOX.test(mailbox)) return illegal('mailbox');
  if (!DOMAIN.test(domain)) return illegal('domain');
  return { Email: email, Name: name };
}

export function parseAddressList(value: string, field: string): ParsedList {
  const addresses: Address[] = [];
  for (const raw of splitList(value)) {
    const parsed = parseOne(raw, field);
    if (typeof parsed === 'string') return { ok: false, message: parsed };
    addresses.push(parsed);
  }
  return { ok: true, addresses };
}

export const sameAddress = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();
