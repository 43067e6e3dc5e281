import { describe, expect, it } from 'vitest';
import { queryToInput, readInteger } from './query';

describe('query strings to command input', () => {
  it('converts the declared numbers and booleans and keeps the rest as text', () => {
    expect(
      queryToInput(
        { limit: '10', offset: '0', deleteFile: 'true', status: 'paused' },
        {
          integers: ['limit', 'offset'],
          booleans: ['deleteFile'],
        },
      ),
    ).toEqual({ limit: 10, offset: 0, deleteFile: true, status: 'paused' });
    expect(queryToInput(undefined)).toEqual({});
  });

  it.each([
    [{ limit: '1.5' }, 'limit: must be a whole number'],
    [{ limit: '' }, 'limit: must be a whole number'],
    [{ limit: '1e3' }, 'limit: must be a whole number'],
    [{ deleteFile: 'yes' }, 'deleteFile: must be true or false'],
    [{ status: ['a', 'b'] }, 'status: given more than once'],
  ])('refuses %j naming the field', (query, message) => {
    expect(() => queryToInput(query, { integers: ['limit'], booleans: ['deleteFile'] })).toThrow(message);
  });

  it('reads a bounded whole number with a default', () => {
    expect(readInteger({}, 'page', 1, { min: 1, max: 9 })).toBe(1);
    expect(readInteger({ page: '3' }, 'page', 1, { min: 1, max: 9 })).toBe(3);
    expect(() => readInteger({ page: '10' }, 'page', 1, { min: 1, max: 9 })).toThrow('page: must be between 1 and 9');
  });
});
