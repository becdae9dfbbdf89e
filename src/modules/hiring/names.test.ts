import { describe, expect, it } from 'vitest';
import { greetingName } from './names.js';

describe('greetingName', () => {
  it.each([
    ['Jane Smith', 'Jane'],
    ['Dr. Jane Smith', 'Jane'],
    ['Prof. Dr. Hans Müller', 'Hans'],
    ['dr jane smith', 'jane'],
    ['Dra. Lucía Pérez', 'Lucía'],
    ['Mme Claire Dubois', 'Claire'],
    ['Dr. Smith', 'Dr. Smith'],
    ['Smith, Jane', 'Jane'],
    ['Madonna', 'Madonna'],
    ['  Zoë   O’Brien ', 'Zoë'],
    // "Don" is a title only before a name; as the name itself it stays.
    ['Don', 'Don'],
  ])('%s → %s', (name, expected) => {
    expect(greetingName({ name })).toBe(expected);
  });

  it('uses the preferred name when there is one, trimmed', () => {
    expect(greetingName({ name: 'Dr. Jane Smith', preferredName: ' Janie ' })).toBe('Janie');
    expect(greetingName({ name: 'Robert Jones', preferredName: 'Bob' })).toBe('Bob');
  });

  it('ignores a blank preferred name', () => {
    expect(greetingName({ name: 'Dr. Jane Smith', preferredName: '   ' })).toBe('Jane');
    expect(greetingName({ name: 'Dr. Jane Smith', preferredName: null })).toBe('Jane');
  });
});
