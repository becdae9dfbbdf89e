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

  it('finds a passage of another candidate’s feedback, in the HTML part too, entities and all', () => {
    const html = { subject: 's', text: 'nothing here', html: '<li>A thoughtful take on rate&nbsp;limiting for public&#x20;APIs</li>' };
    expect(findForeignData(index, people[0]!, html)).toEqual([expect.objectContaining({ candidateId: 'b', field: 'feedback' })]);
  });

  it('finds a short feedback bullet of someone else, whole', () => {
    const short = foreignDataIndex([...people, { candidateId: 'd', name: 'Dana Ross', feedbackTexts: ['Excellent Kubernetes debugging skills'] }]);
    expect(findForeignData(short, people[0]!, rendered('Your strengths: Excellent Kubernetes debugging skills.'))).toEqual([
      expect.objectContaining({ candidateId: 'd', field: 'feedback' }),
    ]);
  });

  it('does not mistake part of the candidate’s own longer name for someone else', () => {
    const plan = foreignDataIndex([
      { candidateId: 'x', name: 'Ana Maria Lopez', feedbackTexts: [] },
      { candidateId: 'y', name: 'Maria Lopez', feedbackTexts: [] },
    ]);
    expect(findForeignData(plan, { candidateId: 'x', name: 'Ana Maria Lopez', feedbackTexts: [] }, rendered('Dear Ana Maria Lopez,'))).toEqual([]);
    expect(findForeignData(plan, { candidateId: 'x', name: 'Ana Maria Lopez', feedbackTexts: [] }, rendered('Dear Ana, unlike Maria Lopez…'))).toEqual([
      expect.objectContaining({ candidateId: 'y', field: 'name' }),
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
