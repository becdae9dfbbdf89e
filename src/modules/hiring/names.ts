// What to call a candidate in a greeting. A preferred name is theirs to give and always wins;
// otherwise the first word of the name that is a name, not a title: "Dr. Jane Smith" is Jane,
// and "Dr. Smith", whose only other word is the surname, stays "Dr. Smith".

// Titles and honorifics, lower case without their dot, in the languages we write to.
const titles = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'dr',
  'prof',
  'professor',
  'sir',
  'dame',
  'rev',
  'mag',
  'ing',
  'dipl',
  'eng',
  'herr',
  'frau',
  'fr',
  'hr',
  'm',
  'mme',
  'mlle',
  'me',
  'pr',
  'sr',
  'sra',
  'srta',
  'don',
  'doña',
  'dña',
  'dra',
  'lic',
  'sig',
  'sig.ra',
  'dott',
  'dott.ssa',
  'dhr',
  'mevr',
  'drs',
  'ir',
  'mw',
]);

const isTitle = (word: string) => titles.has(word.toLowerCase().replace(/\.$/, ''));

export function greetingName(candidate: { name: string; preferredName?: string | null }): string {
  const preferred = candidate.preferredName?.trim();
  if (preferred) return preferred;
  const name = candidate.name.trim();
  // "Smith, Jane" (surname first, as some systems export it): the part after the comma.
  const comma = name.indexOf(',');
  const given = comma > 0 && comma < name.length - 1 ? name.slice(comma + 1).trim() : name;
  const words = given.split(/\s+/).filter(Boolean);
  const rest = words.filter((word, i) => !(isTitle(word) && words.slice(0, i).every(isTitle)));
  if (rest.length === 0) return name;
  // A title and a single word is a title and a surname: keep them together.
  if (rest.length === 1 && rest.length < words.length && comma < 0) return name;
  return rest[0]!;
}
