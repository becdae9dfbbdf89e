// The body readers the mappers share: ids, text, times, own keys only, and the error they throw.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../lib/errors.js';
import { InboundPayloadError, PayloadObject, readId, readOptionalEpochMillis, readOptionalInstant, readOptionalText } from './read.js';

const problem = (read: () => unknown) => {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(InboundPayloadError);
    return (error as InboundPayloadError).message;
  }
  throw new Error('expected an InboundPayloadError');
};

describe('InboundPayloadError', () => {
  it('is a validation_failed AppError (400) with the path as a field error', () => {
    const error = new InboundPayloadError('payload.application.id', 'is missing');
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'validation_failed', status: 400, path: 'payload.application.id', message: 'payload.application.id is missing' });
    expect(error.options.errors).toEqual([{ path: 'payload.application.id', message: 'is missing' }]);
  });
});

describe('readers', () => {
  it('reads ids from strings and non-negative integers only', () => {
    expect(readId(' abc ', 'id')).toBe('abc');
    expect(readId(46194062, 'id')).toBe('46194062');
    expect(problem(() => readId(2 ** 53, 'id'))).toBe('id must be a non-negative integer or a string id');
    expect(problem(() => readId(-1, 'id'))).toBe('id must be a non-negative integer or a string id');
    expect(problem(() => readId('  ', 'id'))).toBe('id is missing');
    expect(problem(() => readId('x'.repeat(201), 'id'))).toBe('id is longer than 200 characters');
  });

  it('reads blank text as absent, and keeps contact details as given when asked', () => {
    expect(readOptionalText('   ', 'name', 10)).toBeNull();
    expect(readOptionalText(' Ada ', 'name', 10)).toBe('Ada');
    expect(readOptionalText(' a@b.c ', 'email', 10, { keepAsGiven: true })).toBe(' a@b.c ');
  });

  it('reads ISO 8601 date-times with a zone, and epoch milliseconds', () => {
    expect(readOptionalInstant('2015-02-11T15:50:41Z', 'at')).toEqual(new Date(Date.UTC(2015, 1, 11, 15, 50, 41)));
    expect(readOptionalInstant('2022-06-24T10:02:10.998+02:00', 'at')).toEqual(new Date('2022-06-24T08:02:10.998Z'));
    expect(problem(() => readOptionalInstant('2015-02-11', 'at'))).toBe('at is not an ISO 8601 date-time with a time zone');
    expect(problem(() => readOptionalInstant('2015-02-11T25:99:00Z', 'at'))).toBe('at is not an ISO 8601 date-time with a time zone');
    expect(readOptionalEpochMillis(1431458021951, 'at')).toEqual(new Date(1431458021951));
    expect(readOptionalEpochMillis('1431458021951', 'at')).toEqual(new Date(1431458021951));
    expect(problem(() => readOptionalEpochMillis(9e15, 'at'))).toBe('at must be epoch milliseconds');
  });

  it('sees only the body’s own keys', () => {
    const body = PayloadObject.body(JSON.parse('{"__proto__": {"id": 1}, "a": {}}'));
    expect(body.object('__proto__').id('id')).toBe('1');
    expect(problem(() => body.object('a').id('constructor'))).toBe('a.constructor is missing');
    expect(problem(() => body.object('toString'))).toBe('toString is missing');
  });
});
