import { describe, expect, it } from 'vitest';
import { normalizeWords, wordErrorRate, wordErrors } from './word-error-rate';

describe('wordErrorRate', () => {
  it('ignores case and punctuation', () => {
    expect(normalizeWords('Okay, sign HERE. Follow-up?')).toEqual(['okay', 'sign', 'here', 'follow', 'up']);
    expect(wordErrorRate([{ reference: 'Okay, sign here.', hypothesis: 'okay sign here' }])).toBe(0);
  });

  it('counts substitutions, deletions and insertions', () => {
    expect(wordErrors(['a', 'b', 'c'], ['a', 'x', 'c'])).toBe(1);
    expect(wordErrors(['a', 'b', 'c'], ['a', 'c'])).toBe(1);
    expect(wordErrors(['a', 'b', 'c'], ['a', 'b', 'b', 'c'])).toBe(1);
    expect(wordErrors(['a', 'b'], [])).toBe(2);
    expect(wordErrors([], ['a'])).toBe(1);
  });

  it('pools errors over all utterances, weighted by reference length', () => {
    const rate = wordErrorRate([
      { reference: 'one two three four', hypothesis: 'one two three four' },
      { reference: 'five six', hypothesis: 'five sex' },
    ]);
    expect(rate).toBeCloseTo(1 / 6);
  });
});
