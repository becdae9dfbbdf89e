// The render-time check that a message holds only its own candidate's data: another
// candidate's name, or a passage of another candidate's feedback, from the same plan blocks it.
// Matching is on normalised word shingles, so it stays linear in the message's length however
// large the plan is.

const words = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/** Feedback passages are compared on runs of this many words: long enough to be specific. */
const PASSAGE_WORDS = 6;

export interface ForeignData {
  /** Other candidates' full names, as word sequences. */
  names: Map<string, string>;
  /** Six-word runs of other candidates' feedback → whose it is. */
  passages: Map<string, string>;
}

export function foreignDataIndex(others: { candidateId: string; name: string; feedbackTexts: string[] }[], own: { name: string }): ForeignData {
  const ownName = words(own.name).join(' ');
  const names = new Map<string, string>();
  const passages = new Map<string, string>();
  for (const other of others) {
    const name = words(other.name);
    // A one-word name is too common to mean anything; the candidate's own name is theirs to read.
    if (name.length >= 2 && name.join(' ') !== ownName) names.set(name.join(' '), other.candidateId);
    for (const text of other.feedbackTexts) {
      const w = words(text);
      for (let i = 0; i + PASSAGE_WORDS <= w.length; i++) passages.set(w.slice(i, i + PASSAGE_WORDS).join(' '), other.candidateId);
    }
  }
  return { names, passages };
}

const decodeEntities = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e]!);

export interface ForeignFinding {
  candidateId: string;
  field: 'name' | 'feedback';
  value: string;
}

export function findForeignData(index: ForeignData, rendered: { subject: string; html: string; text: string }): ForeignFinding[] {
  const found = new Map<string, ForeignFinding>();
  for (const source of [rendered.subject, rendered.text, decodeEntities(rendered.html)]) {
    const w = words(source);
    for (let i = 0; i < w.length; i++) {
      for (let n = 2; n <= 5 && i + n <= w.length; n++) {
        const gram = w.slice(i, i + n).join(' ');
        const owner = index.names.get(gram);
        if (owner) found.set(`name|${gram}`, { candidateId: owner, field: 'name', value: gram });
      }
      if (i + PASSAGE_WORDS <= w.length) {
        const passage = w.slice(i, i + PASSAGE_WORDS).join(' ');
        const owner = index.passages.get(passage);
        if (owner) found.set(`feedback|${owner}`, { candidateId: owner, field: 'feedback', value: passage });
      }
    }
  }
  return [...found.values()];
}
