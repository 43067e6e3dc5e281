import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ActionParam } from '../../../src-common/contract';
import { matchesContentType, validateParams } from './action-params';

const params: ActionParam[] = [
  { name: 'title', label: 'Title', type: 'text', required: true },
  { name: 'count', label: 'Count', type: 'number', min: 1, max: 10, step: 1, default: 3 },
  {
    name: 'mode',
    label: 'Mode',
    type: 'select',
    options: [
      { value: 'fast', label: 'Fast' },
      { value: 'slow', label: 'Slow' },
    ],
  },
  { name: 'loud', label: 'Loud', type: 'boolean' },
];

describe('action params', () => {
  it('fills defaults and passes good values through', () => {
    expect(validateParams(params, { title: 'x', mode: 'slow', loud: false })).toEqual({
      title: 'x',
      count: 3,
      mode: 'slow',
      loud: false,
    });
  });

  it.each([
    [{}, 'params.title: is required'],
    [{ title: 5 }, 'params.title: must be text, got number 5'],
    [{ title: 'x', count: '5' }, 'params.count: must be a number, got "5"'],
    [{ title: 'x', count: 11 }, 'params.count: must be at most 10'],
    [{ title: 'x', count: 2.5 }, 'params.count: must be a multiple of 1'],
    [{ title: 'x', mode: 'warp' }, 'params.mode: must be one of fast, slow, got "warp"'],
    [{ title: 'x', loud: 'yes' }, 'params.loud: must be true or false, got "yes"'],
    [{ title: 'x', extra: 1 }, 'params.extra: this action has no such param'],
  ])('refuses %j naming the param', (input, message) => {
    expect(() => validateParams(params, input)).toThrow(message);
  });

  it('never lets a value of the wrong type through (property)', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (count, loud) => {
        try {
          const values = validateParams(params, { title: 't', count, loud });
          expect(typeof values.count).toBe('number');
          if ('loud' in values) expect(typeof values.loud).toBe('boolean');
        } catch (error) {
          expect((error as Error).message).toMatch(/^params\.(count|loud): /);
        }
      }),
    );
  });

  it('matches content types by exact type, prefix or wildcard', () => {
    expect(matchesContentType([], null)).toBe(true);
    expect(matchesContentType(['video/*'], 'video/mp4; codecs=avc1')).toBe(true);
    expect(matchesContentType(['audio/'], 'video/mp4')).toBe(false);
    expect(matchesContentType(['application/pdf'], 'application/pdf')).toBe(true);
    expect(matchesContentType(['application/pdf'], null)).toBe(false);
  });
});
