// Text folding for the feedback lint: lower case, no diacritics, one spelling for the
// characters recruiters type in several ways (ß/ss, œ/oe, curly and straight apostrophes, the
// dash family), so one term list matches "âgé", "AGE" and "age" alike. Every folded character
// remembers the span of the original it came from, because findings must point into the text the
// recruiter wrote, not into this folded copy.
//
// The folded text is pure ASCII: every term is Latin script, so a letter or digit of any other
// script only needs to count as "part of a word" ('_'), any other space as ' ', and any other
// symbol as a neutral '\x01'. That lets the term regexes run without Unicode property classes,
// which made them several times slower.

export interface FoldedText {
  /** The folded ASCII text that the term patterns run on. */
  text: string;
  /** For each folded UTF-16 unit, where its source starts in the original (UTF-16 index). */
  starts: number[];
  /** For each folded UTF-16 unit, where its source ends in the original (exclusive). */
  ends: number[];
}

// Characters that NFD leaves alone but that writers use interchangeably with plain letters.
const SPECIAL: Readonly<Record<string, string>> = {
  ß: 'ss',
  œ: 'oe',
  æ: 'ae',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ı: 'i',
  '\u2018': "'",
  '\u2019': "'",
  '\u02bc': "'",
  '\u00b4': "'",
  '`': "'",
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
  '\u00a0': ' ',
  '\u202f': ' ',
};

// Invisible characters fold to nothing: a soft hyphen or zero-width space inside a word must
// not hide it from the lint ("preg\u00ADnant").
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/gu;
const MARKS = /\p{M}/gu;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const SPACE = /\s/u;

/** The ASCII stand-in for one code point of folded text. */
function toAscii(codePoint: string): string {
  if (codePoint.charCodeAt(0) < 0x80) return codePoint;
  if (SPACE.test(codePoint)) return ' ';
  return LETTER_OR_DIGIT.test(codePoint) ? '_' : '\x01';
}

// Folding a code point is pure, so non-ASCII results are memoised; the bound keeps arbitrary
// input (every code point of Unicode) from growing the cache without limit.
const cache = new Map<string, string>();
const CACHE_LIMIT = 4096;

function foldCodePoint(char: string): string {
  const cached = cache.get(char);
  if (cached !== undefined) return cached;
  // Compatibility decomposition also folds full-width letters and ligatures ("ｐｒｅｇｎａｎｔ", "ﬁ");
  // lower-casing can re-introduce a combining mark ("İ" → "i̇"), hence decomposing on both sides.
  const stripped = char.normalize('NFKD').toLowerCase().normalize('NFKD').replace(MARKS, '').replace(INVISIBLE, '');
  let folded = '';
  for (const unit of stripped) {
    const special = SPECIAL[unit];
    if (special !== undefined) folded += special;
    else folded += toAscii(unit);
  }
  if (cache.size < CACHE_LIMIT) cache.set(char, folded);
  return folded;
}

export function fold(input: string): FoldedText {
  let text = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let index = 0;
  while (index < input.length) {
    const code = input.charCodeAt(index);
    if (code < 0x80 && code !== 0x60) {
      text += code >= 0x41 && code <= 0x5a ? String.fromCharCode(code + 0x20) : input[index];
      starts.push(index);
      ends.push(index + 1);
      index += 1;
      continue;
    }
    const next = input.charCodeAt(index + 1);
    const width = code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
    const end = index + width;
    const folded = foldCodePoint(input.slice(index, end));
    if (folded === '') {
      // A stripped mark belongs to the letter before it: a span ending on that letter must end
      // after the mark, or the excerpt would cut "é" (e + U+0301) in half.
      if (ends.length > 0) ends[ends.length - 1] = end;
    } else {
      for (let unit = 0; unit < folded.length; unit += 1) {
        starts.push(index);
        ends.push(end);
      }
      text += folded;
    }
    index = end;
  }
  return { text, starts, ends };
}
