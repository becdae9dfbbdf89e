import { describe, expect, it } from 'vitest';
import { findForeignData, foreignDataIndex } from './foreign-data.js';

const people = [
  { candidateId: 'a', name: 'Amara Okafor', feedbackTexts: ['Strong grasp of event sourcing and its failure modes', 'Needs more depth in Kubernetes networking'] },
  { candidateId: 'b', name: 'Ben Carter', feedbackTexts: ['A thoughtful take on rate limiting for public APIs', 'Needs more depth in Kubernetes networking'] },
  { candidateId: 'c', name: 'Chen', feedbackTexts: [] },
];
const index = foreignDataIndex(people);
const rendered = (text: string) => ({ subject: 'About your application', html: `<p>${text.replace(/&/g, '&amp;')}</p>`, text });

describe('foreign candidate data', () => {
  it('finds another candidate’s full name, however it is cased or accented', () => {
    expect(findForeignData(index, people[0]!, rendered('Dear Amara, unlike BEN CARTER you…'))).toEqual([
      { candidateId: 'b', field: 'name', value: 'ben carter' },
    ]);
  });

  it('finds a passage of another candidate’s feedback, in the HTML part too', () => {
    const html = { subject: 's', text: 'nothing here', html: '<li>A thoughtful take on rate&nbsp;limiting for public APIs</li>' };
    expect(findForeignData(index, people[0]!, { ...html, html: '<li>A thoughtful take on rate limiting for public APIs</li>' })).toEqual([
      expect.objectContaining({ candidateId: 'b', field: 'feedback' }),
    ]);
  });

  it('leaves the candidate’s own name and feedback alone, even a sentence reused for others', () => {
    const own = rendered('Dear Amara Okafor: Needs more depth in Kubernetes networking. Strong grasp of event sourcing and its failure modes.');
    expect(findForeignData(index, people[0]!, own)).toEqual([]);
  });

  it('ignores one-word names, which are too common to mean anything', () => {
    expect(findForeignData(index, people[0]!, rendered('Chen reviewed your exercise'))).toEqual([]);
  });
});
