import { describe, expect, it } from 'vitest';
import { normalizeWords } from '../../agent/src/providers/word-error-rate';
import { FI_TOPICS, FI_UTTERANCES, splitSentences } from './fi-utterances';

describe('FI_UTTERANCES', () => {
  it('has at least 30 distinct utterances, even ignoring case and punctuation', () => {
    const distinct = new Set(FI_UTTERANCES.map((u) => normalizeWords(u).join(' ')));
    expect(FI_UTTERANCES.length).toBeGreaterThanOrEqual(30);
    expect(distinct.size).toBe(FI_UTTERANCES.length);
  });

  it('writes numbers as words, so the reference is what the voice says', () => {
    for (const u of FI_UTTERANCES) expect(u, u).not.toMatch(/[0-9$%]/);
  });

  it('has speakable lines: whole sentences of 6 to 30 words, no markup', () => {
    for (const u of FI_UTTERANCES) {
      const words = normalizeWords(u).length;
      expect(words, u).toBeGreaterThanOrEqual(6);
      expect(words, u).toBeLessThanOrEqual(30);
      expect(u, u).toMatch(/^[A-Z].*[.?!]$/);
      expect(u, u).not.toMatch(/[*_#<>[\]{}]|\s{2}/);
    }
  });

  it('covers every F&I topic the bench promises', () => {
    for (const [topic, pattern] of Object.entries(FI_TOPICS)) {
      expect(FI_UTTERANCES.some((u) => pattern.test(u)), topic).toBe(true);
    }
  });

  it('splits into sentences the way each synthesis call receives them', () => {
    expect(splitSentences('I hear you on the payment. Would it help if we extended the term?')).toEqual([
      'I hear you on the payment.',
      'Would it help if we extended the term?',
    ]);
    expect(splitSentences('Thanks.  "Okay" then!')).toEqual(['Thanks.', '"Okay" then!']);
    expect(splitSentences('A rate of six point nine percent, i.e. fixed.')).toHaveLength(1);
    expect(FI_UTTERANCES.flatMap(splitSentences).length).toBeGreaterThan(FI_UTTERANCES.length);
  });
});
