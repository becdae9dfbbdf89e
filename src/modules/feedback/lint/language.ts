// Which language a piece of feedback is written in, told by its function words (articles,
// pronouns, conjunctions): content words are shared across languages far more often ("design",
// "Kubernetes", "excellent"), while "the", "und", "avec" and "muy" give a language away. A word
// that is a function word in two of our languages ("de", "la", "en", "que", "no") counts for
// neither. Enough for a warning that asks a person to look; never for a decision.
import type { LintLanguage } from './lint.schemas.js';

const functionWords: Readonly<Record<LintLanguage, string>> = {
  en: 'the and of to is was with for that this your you very but not were are have has had been which would could should their they there from about into more also',
  fr: 'le les des du et est avec pour dans très pas sur qui vous votre vos mais été sont plus cette au aux une ces leur nous avez être était aussi ou',
  de: 'der die das und ist mit nicht sehr ein eine für auf von zu den dem sie ihre aber war sind auch im wie noch einen einer sich wir haben hat oder',
  es: 'el los las y es con muy una para por su pero más del al fue son como tiene sus nos ha ser era también o este esta',
  // Not "o", "para", "também" (Spanish too), "mais", "ou" (French), "um" (German), "as", "do" (English).
  pt: 'os da dos das nas não muito uma com ele ela eles você seu sua seus suas foi são ao à pelo pela isso isto esse essa tem têm já ainda bem lhe numa pelos',
  // Not "un", "il", "ma" (French), "con", "una", "al", "ha", "lo" (Spanish), "sua" (Portuguese).
  it: 'gli della delle degli dei nel nella nei nelle alla alle agli molto che è sono hanno più anche perché questo questa questi lei loro stato essere ci suoi',
  // Not "de", "en" (French, Spanish), "die", "er" (German), "is", "was", "we", "met" (English).
  nl: 'het een van niet voor op zijn ook maar wel dat heeft hebben naar bij om zeer heel erg haar hij zij wij ze geen nog goed kan deze dit wordt worden uit',
};

const LANGUAGES: readonly LintLanguage[] = ['en', 'fr', 'de', 'es', 'pt', 'it', 'nl'];

const owner = new Map<string, LintLanguage | null>();
for (const language of LANGUAGES) {
  for (const word of functionWords[language].split(' ')) owner.set(word, owner.has(word) && owner.get(word) !== language ? null : language);
}

/** Function words counted per language. */
export function languageVotes(text: string): Record<LintLanguage, number> {
  const votes: Record<LintLanguage, number> = { en: 0, fr: 0, de: 0, es: 0, pt: 0, it: 0, nl: 0 };
  for (const word of text.toLowerCase().split(/[^\p{L}]+/u)) {
    const language = owner.get(word);
    if (language) votes[language] += 1;
  }
  return votes;
}

/**
 * The language the text is clearly written in, or null when it is too short or too mixed to
 * say: at least `minimum` function words of one language, and at least three times as many as
 * of any other.
 */
export function dominantLanguage(text: string, minimum = 4): LintLanguage | null {
  const votes = languageVotes(text);
  const [first, second] = [...LANGUAGES].sort((a, b) => votes[b] - votes[a]);
  if (first === undefined || second === undefined || votes[first] < minimum || votes[first] < 3 * votes[second]) return null;
  return first;
}
