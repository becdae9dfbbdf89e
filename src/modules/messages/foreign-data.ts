// The render-time check that a message holds only its own candidate's data: another
// candidate's name, or a passage of another candidate's feedback, from the same plan blocks it.
// Nobody can override that block, so it must be right every time: a run of words made only of
// texts the message was rendered from (its template, its own candidate's fields) is never
// someone else's, however it reads. Matching is on normalised word shingles, so it stays linear
// in the message's length however large the plan is; the index is built once per plan.

const unicodeWords = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/** The words of short pieces that are not plain ASCII ("isn’t", "Müller"): the same ones recur in every message. */
const piecesSeen = new Map<string, readonly string[]>();
const PIECES_MAX = 10_000;
function unicodeWordsOf(piece: string): readonly string[] {
  // A long one (a paragraph of a script without ASCII spaces) is rarely seen twice.
  if (piece.length > 64) return unicodeWords(piece);
  let found = piecesSeen.get(piece);
  if (!found) {
    if (piecesSeen.size >= PIECES_MAX) piecesSeen.clear();
    piecesSeen.set(piece, (found = unicodeWords(piece)));
  }
  return found;
}

/** ASCII characters that are neither letters nor digits: a word ends there in any text. */
const ASCII_SEPARATORS = /[^A-Za-z0-9\u0080-\uffff]+/;
const ASCII_WORD = /^[A-Za-z0-9]+$/;

/**
 * The words of a text, compared without case or accents. The same as unicodeWords, faster on
 * long texts: an ASCII separator is unchanged by NFKD and blocks the reordering of marks, so
 * the text is cut there first and only the pieces that are not plain ASCII words take the slow
 * way. The one lower-casing that depends on what follows (Greek capital sigma at a word's end)
 * takes the slow way for the whole text.
 */
const words = (text: string) => {
  if (text.includes('\u03a3')) return unicodeWords(text);
  // Lower-cased at once: when that keeps every unit in place (it lengthens only İ), an ASCII
  // word's lower case is the same stretch of it, and one pass over the units finds the pieces.
  const lower = text.toLowerCase();
  if (lower.length === text.length) return wordsOfUnits(text, lower);
  const out: string[] = [];
  for (const piece of text.split(ASCII_SEPARATORS)) {
    if (piece === '') continue;
    if (ASCII_WORD.test(piece)) out.push(piece.toLowerCase());
    else for (const word of unicodeWordsOf(piece)) out.push(word);
  }
  return out;
};

/** `words` in one pass: pieces end at ASCII separators; a piece with a unit past ASCII takes the slow way. */
function wordsOfUnits(text: string, lower: string): string[] {
  const out: string[] = [];
  let start = -1;
  let ascii = true;
  const end = (at: number) => {
    if (ascii) out.push(lower.slice(start, at));
    else for (const word of unicodeWordsOf(text.slice(start, at))) out.push(word);
    start = -1;
  };
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) {
      if (start < 0) start = i;
      ascii = false;
    } else if ((code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39)) {
      if (start < 0) {
        start = i;
        ascii = true;
      }
    } else if (start >= 0) end(i);
  }
  if (start >= 0) end(text.length);
  return out;
}

/** Feedback passages are compared on runs of this many words: long enough to be specific. */
const PASSAGE_WORDS = 6;
/** A shorter feedback item (a bullet such as "Excellent Kubernetes debugging skills") counts whole. */
const MIN_ITEM_WORDS = 3;

const shingles = (text: string) => {
  const w = words(text);
  if (w.length < PASSAGE_WORDS) return w.length >= MIN_ITEM_WORDS ? [w.join(' ')] : [];
  const out: string[] = [];
  for (let i = 0; i + PASSAGE_WORDS <= w.length; i++) out.push(w.slice(i, i + PASSAGE_WORDS).join(' '));
  return out;
};

export interface PlanPerson {
  candidateId: string;
  name: string;
  feedbackTexts: string[];
}

export interface ForeignData {
  /** Full names (two words or more) → whose they are. */
  names: Map<string, Set<string>>;
  /** Six-word runs of feedback, and short items whole → whose feedback holds them. */
  passages: Map<string, Set<string>>;
  /** The longest name, in words: how long a run the search must try. */
  longestName: number;
  /**
   * The first word, and the first two words, of every name and passage: a run of words can only
   * match where its first two do, so the search skips every other position after a lookup of
   * the word it is at (and, where that is a first word, of the pair).
   */
  firstWords: Set<string>;
  /**
   * The first two words → the one candidate whose names and passages start with them, or null
   * when they start several people's: where the only one is the message's own candidate (their
   * feedback quoted back to them), nothing that starts there can be someone else's.
   */
  starts: Map<string, string | null>;
}

function add(map: Map<string, Set<string>>, key: string, owner: string) {
  const owners = map.get(key);
  if (owners) owners.add(owner);
  else map.set(key, new Set([owner]));
}

/** The first two words of a key (every name and passage has at least two). */
function firstTwo(key: string) {
  const end = key.indexOf(' ', key.indexOf(' ') + 1);
  return end < 0 ? key : key.slice(0, end);
}

export function foreignDataIndex(people: PlanPerson[]): ForeignData {
  const names = new Map<string, Set<string>>();
  const passages = new Map<string, Set<string>>();
  let longestName = 2;
  const starts = new Map<string, string | null>();
  const firstWords = new Set<string>();
  for (const person of people) {
    const name = words(person.name);
    // A one-word name is too common to mean anything.
    if (name.length >= 2) add(names, name.join(' '), person.candidateId);
    longestName = Math.max(longestName, name.length);
    for (const text of person.feedbackTexts) for (const passage of shingles(text)) add(passages, passage, person.candidateId);
  }
  for (const map of [names, passages]) {
    for (const [key, owners] of map) {
      const start = firstTwo(key);
      const [owner] = owners;
      const before = starts.get(start);
      starts.set(start, owners.size === 1 && (before === undefined || before === owner) ? owner! : null);
      firstWords.add(key.slice(0, key.indexOf(' ')));
    }
  }
  return { names, passages, longestName, firstWords, starts };
}

const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
/** The entities decodeEntities knows, in one alternation (case as each of its passes has it). */
const ENTITY = /&#[xX]([0-9a-fA-F]+);|&#(\d+);|&(amp|lt|gt|quot|apos|nbsp);/g;
/** A character a numeric entity decodes to that a later pass could read as part of another entity. */
const ENTITY_PART = /[&#;0-9A-Za-z]/;

/** An HTML part's text: each tag a space, then the entities decoded. */
const decodeHtml = (html: string) => decodeEntityText(html.replace(/<[^>]*>/g, ' '));

/**
 * decodeEntities with its three passes in one. The passes run one after the other, so a numeric
 * entity that decodes to '&', '#', ';' or a letter or digit can make another entity
 * ("&#x26;amp;" is "&" after both): then, or on an error, the text takes the three passes.
 */
function decodeEntityText(text: string): string {
  if (!text.includes('&')) return text;
  let chained = false;
  try {
    const decoded = text.replace(ENTITY, (_match, hex: string | undefined, decimal: string | undefined, named: string | undefined) => {
      if (named !== undefined) return NAMED[named]!;
      const char = String.fromCodePoint(hex !== undefined ? parseInt(hex, 16) : Number(decimal));
      if (ENTITY_PART.test(char)) chained = true;
      return char;
    });
    if (!chained) return decoded;
  } catch {
    // An entity past the last code point: the passes throw as they always did.
  }
  return decodeEntities(text);
}

/** The entity passes one after the other (the tags are spaces already). */
const decodeEntities = (text: string) =>
  text
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&(amp|lt|gt|quot|apos|nbsp);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' })[e]!);

/**
 * What a piece of an HTML part leaves of itself once tags are spaces, as `/<[^>]*>/g` does to
 * the whole part: `inTag` says a tag opened in an earlier piece is still open. `closesLater`:
 * a later piece has a '>' (a '<' left open here is a tag's start; otherwise it is text).
 * undefined when a tag is open with no '>' anywhere after it (never, when the pieces are the part).
 */
function stripTags(piece: string, inTag: boolean, closesLater: boolean): { text: string; inTag: boolean } | undefined {
  let text = '';
  let at = 0;
  if (inTag) {
    const close = piece.indexOf('>');
    if (close < 0) return closesLater ? { text: '', inTag: true } : undefined;
    text = ' ';
    at = close + 1;
  }
  for (;;) {
    const open = piece.indexOf('<', at);
    const close = open < 0 ? -1 : piece.indexOf('>', open + 1);
    if (open < 0 || (close < 0 && !closesLater)) return { text: text + piece.slice(at), inTag: false };
    if (close < 0) return { text: text + piece.slice(at, open), inTag: true };
    text += `${piece.slice(at, open)} `;
    at = close + 1;
  }
}

/**
 * Characters that end a word in every way `words` reads a text and that no entity, mark or
 * letter's case reaches across (neither cased nor case-ignorable, so Greek final sigma does not
 * look past them): where one sits on either side of the seam between two pieces, the words of
 * the two pieces, read apart, are the words of the two together.
 */
const SEAM = new Set(
  [...' \t\n\r\f,()[]!?"/\\<>=-+*%$@{}|~_', ...'\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000', ...'«»‹›–—“”„'].map((c) =>
    c.charCodeAt(0),
  ),
);
/**
 * Punctuation that is case-ignorable (Greek final sigma looks past it) but otherwise a SEAM: a
 * seam where the part has no capital sigma, the one letter whose lower case depends on what is
 * around it. With SEAM, every ASCII character but letters, digits and the entities' '&', '#', ';'.
 */
const SEAM_WITHOUT_SIGMA = new Set([...".:'^`‘’·…"].map((c) => c.charCodeAt(0)));

interface PieceWords {
  words: readonly string[];
  /** The first and last code units of the piece's text once its tags are spaces; -1 when it has none. */
  first: number;
  last: number;
  inTag: boolean;
  /** Whether its text, entities decoded, has a capital sigma. */
  sigma: boolean;
}

/** Pieces read recently, by piece and whether a tag was open before it: most are a template's own text, the same in every message. */
const piecesRead = [new Map<string, PieceWords>(), new Map<string, PieceWords>()] as const;
const PIECES_READ_MAX = 10_000;

function pieceWords(piece: string, inTag: boolean): PieceWords {
  const seen = piecesRead[inTag ? 1 : 0];
  let found = seen.get(piece);
  if (!found) {
    const stripped = stripTags(piece, inTag, true)!;
    const { text } = stripped;
    const decoded = decodeEntityText(text);
    found = {
      words: words(decoded),
      first: text ? text.charCodeAt(0) : -1,
      last: text ? text.charCodeAt(text.length - 1) : -1,
      inTag: stripped.inTag,
      sigma: decoded.includes('\u03a3'),
    };
    if (seen.size >= PIECES_READ_MAX) seen.clear();
    seen.set(piece, found);
  }
  return found;
}

/**
 * The words of an HTML part from the pieces it was rendered in, the same as words(decodeHtml(html)):
 * the pieces seen before are not read again. undefined when the pieces are not the part, or when
 * two pieces meet with no SEAM character on either side (the part is then read whole).
 */
export function htmlWordsOfPieces(html: string, pieces: readonly string[]): string[] | undefined {
  if (pieces.join('') !== html) return undefined;
  // A '<' before the last '>' always starts a tag; past it, the rest is read as one piece.
  const lastClose = html.lastIndexOf('>');
  const out: string[] = [];
  let inTag = false;
  let last = -1;
  let offset = 0;
  // Whether a seam relied on SEAM_WITHOUT_SIGMA, and whether the part has a capital sigma after all.
  let withoutSigma = false;
  let sigma = false;
  const seam = (first: number) => {
    if (last < 0 || SEAM.has(last) || SEAM.has(first)) return true;
    if (!SEAM_WITHOUT_SIGMA.has(last) && !SEAM_WITHOUT_SIGMA.has(first)) return false;
    withoutSigma = true;
    return true;
  };
  for (const piece of pieces) {
    if (offset + piece.length > lastClose) {
      const stripped = stripTags(html.slice(offset), inTag, false);
      if (!stripped || (stripped.text && !seam(stripped.text.charCodeAt(0)))) return undefined;
      const decoded = decodeEntityText(stripped.text);
      sigma ||= decoded.includes('\u03a3');
      for (const word of words(decoded)) out.push(word);
      break;
    }
    const read = pieceWords(piece, inTag);
    if (read.first >= 0) {
      if (!seam(read.first)) return undefined;
      last = read.last;
    }
    sigma ||= read.sigma;
    for (const word of read.words) out.push(word);
    inTag = read.inTag;
    offset += piece.length;
  }
  return sigma && withoutSigma ? undefined : out;
}

/** Lines of text parts read recently: most are the template's own, the same in every message. */
const linesRead = new Map<string, readonly string[]>();

/** words(text), line by line (a line break ends a word and nothing reaches across it), the lines seen before not read again. */
function textWords(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    let found = linesRead.get(line);
    if (!found) {
      if (linesRead.size >= PIECES_READ_MAX) linesRead.clear();
      linesRead.set(line, (found = words(line)));
    }
    for (const word of found) out.push(word);
  }
  return out;
}

export interface ForeignFinding {
  candidateId: string;
  field: 'name' | 'feedback';
  value: string;
}

/**
 * Word sequences by their first word: where each legitimate text may start in a message.
 * Legitimate texts are the template's own words and the values this message was rendered from
 * (the candidate's name and feedback, the role, the company, the recruiter, dates, links).
 */
export type LegitimateTexts = Map<string, string[][]>;

/**
 * `base`: texts shared by many messages (a template's own words), indexed once; it is never
 * changed, so every message of a job can extend the same one.
 */
export function legitimateTexts(texts: Iterable<string>, base?: LegitimateTexts): LegitimateTexts {
  const byFirst: LegitimateTexts = new Map(base);
  // The lists this call made (a base's lists are copied before they grow).
  const own = new Set<string[][]>();
  for (const text of texts) {
    const w = words(decodeHtml(text));
    if (w.length === 0) continue;
    const list = byFirst.get(w[0]!);
    if (list && own.has(list)) list.push(w);
    else {
      const made = list ? [...list, w] : [w];
      own.add(made);
      byFirst.set(w[0]!, made);
    }
  }
  return byFirst;
}

/** Positions of `w` inside an occurrence of a legitimate text, as a running count: see `spans`. */
function coverage(w: string[], legitimate: LegitimateTexts): Uint32Array {
  const covered = new Uint8Array(w.length);
  for (let i = 0; i < w.length; i++) {
    for (const sequence of legitimate.get(w[i]!) ?? []) {
      if (i + sequence.length <= w.length && sequence.every((word, k) => w[i + k] === word)) covered.fill(1, i, i + sequence.length);
    }
  }
  return runningCount(covered);
}

/** `counts[j]` = how many of the first j positions are marked: any range is then counted in O(1). */
function runningCount(mask: Uint8Array): Uint32Array {
  const counts = new Uint32Array(mask.length + 1);
  for (let i = 0; i < mask.length; i++) counts[i + 1] = counts[i]! + mask[i]!;
  return counts;
}

/** How many positions in [from, to) are marked. */
const marked = (counts: Uint32Array, from: number, to: number) => counts[to]! - counts[from]!;

/** Positions of `w` inside an occurrence of the candidate's own name, as a running count. */
function ownNameSpans(w: string[], ownWords: string[]): Uint32Array {
  const ownSpan = new Uint8Array(w.length);
  if (ownWords.length > 0) {
    for (let i = 0; i + ownWords.length <= w.length; i++) {
      if (ownWords.every((word, k) => w[i + k] === word)) ownSpan.fill(1, i, i + ownWords.length);
    }
  }
  return runningCount(ownSpan);
}

/**
 * What in `rendered` belongs to someone else in the plan. Text the candidate's own record
 * carries — their name, a passage of their own feedback, even when a recruiter reused the same
 * sentence for several people — is theirs to read; so is a run of words that only spans texts
 * this message was legitimately rendered from (two of their own feedback items side by side, a
 * feedback item and the template's words): such a run was never copied from anyone. What is
 * left to find is text from nowhere legitimate (a subject a person typed, a rendering fault),
 * and another candidate's full name written inside the candidate's own feedback.
 *
 * One pass per part: only where a run's first two words start some name or passage in the plan
 * is it looked up, and what is the candidate's own or legitimate is worked out only for a run
 * that someone else's data matches (almost never), so a clean message costs a word split and
 * one lookup per word.
 */
export function findForeignData(
  index: ForeignData,
  own: PlanPerson,
  rendered: { subject: string; html: string; text: string },
  /** Made only when needed (a function) or given; the candidate's own name and feedback when absent. */
  legitimate?: LegitimateTexts | (() => LegitimateTexts),
  /** The HTML part as it was rendered, piece by piece (renderTemplateInPieces): the same findings, read faster. */
  htmlPieces?: readonly string[],
): ForeignFinding[] {
  const ownWords = words(own.name);
  const ownName = ownWords.join(' ');
  let ownFeedback: { passages: Set<string>; items: string[] } | undefined;
  const ownOf = () => (ownFeedback ??= { passages: new Set(own.feedbackTexts.flatMap(shingles)), items: own.feedbackTexts.map((text) => ` ${words(text).join(' ')} `) });
  let legitimateOnce: LegitimateTexts | undefined;
  const legitimateOf = () => (legitimateOnce ??= typeof legitimate === 'function' ? legitimate() : (legitimate ?? legitimateTexts([own.name, ...own.feedbackTexts])));
  const someoneElse = (owners: Set<string> | undefined) => {
    if (owners) for (const owner of owners) if (owner !== own.candidateId) return owner;
    return undefined;
  };
  const found = new Map<string, ForeignFinding>();
  const longest = Math.max(index.longestName, PASSAGE_WORDS);
  for (const part of ['subject', 'text', 'html'] as const) {
    const w =
      part === 'subject'
        ? words(rendered.subject)
        : part === 'text'
          ? textWords(rendered.text)
          : ((htmlPieces && htmlWordsOfPieces(rendered.html, htmlPieces)) ?? words(decodeHtml(rendered.html)));
    // Words inside an occurrence of the candidate's own name are theirs ("Ana Maria Lopez" holds
    // "Maria Lopez", who may be someone else in the plan). Both masks only when first needed.
    let ownSpan: Uint32Array | undefined;
    let covered: Uint32Array | undefined;
    const ownSpanOf = () => (ownSpan ??= ownNameSpans(w, ownWords));
    const coveredOf = () => (covered ??= coverage(w, legitimateOf()));
    for (let i = 0; i + 1 < w.length; i++) {
      if (!index.firstWords.has(w[i]!)) continue;
      // The run of n words from i, grown one word at a time.
      let gram = `${w[i]!} ${w[i + 1]!}`;
      const only = index.starts.get(gram);
      if (only === undefined || only === own.candidateId) continue;
      for (let n = 2; n <= longest && i + n <= w.length; n++) {
        if (n > 2) gram += ` ${w[i + n - 1]!}`;
        if (n <= index.longestName) {
          const owner = gram === ownName ? undefined : someoneElse(index.names.get(gram));
          // A name written in the candidate's own feedback is a leak however legitimately it got there.
          if (owner && marked(ownSpanOf(), i, i + n) === 0 && (marked(coveredOf(), i, i + n) < n || ownOf().items.some((item) => item.includes(` ${gram} `)))) {
            found.set(`name|${gram}`, { candidateId: owner, field: 'name', value: gram });
          }
        }
        if (n >= MIN_ITEM_WORDS && n <= PASSAGE_WORDS) {
          // A passage of the candidate's own feedback is usually no one else's: only one that is
          // needs their own passages worked out.
          const owner = someoneElse(index.passages.get(gram));
          if (owner && !ownOf().passages.has(gram) && marked(coveredOf(), i, i + n) < n) found.set(`feedback|${owner}`, { candidateId: owner, field: 'feedback', value: gram });
        }
      }
    }
  }
  return [...found.values()];
}
