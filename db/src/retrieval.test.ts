import { describe, expect, it } from 'vitest';
import { fuseRankings, minimumMatchedWords, RRF_K } from './retrieval';

describe('fuseRankings (Reciprocal Rank Fusion)', () => {
  it('keeps the order of a single ranking, scoring 1 / (k + rank)', () => {
    const fused = fuseRankings({ rankings: { text: ['a', 'b', 'c'] } });
    expect(fused.map((f) => f.id)).toEqual(['a', 'b', 'c']);
    expect(fused[0]!.score).toBeCloseTo(1 / (RRF_K + 1));
    expect(fused[2]!.score).toBeCloseTo(1 / (RRF_K + 3));
    expect(fused.every((f) => f.matchedBy.join() === 'text')).toBe(true);
  });

  it('puts an id found by both legs above ids found by one, and sums its scores', () => {
    const fused = fuseRankings({ rankings: { text: ['x', 'y'], vector: ['y', 'z'] } });
    expect(fused.map((f) => f.id)).toEqual(['y', 'x', 'z']);
    expect(fused[0]).toEqual({ id: 'y', score: 1 / 62 + 1 / 61, matchedBy: ['text', 'vector'] });
    expect(fused[1]).toMatchObject({ id: 'x', matchedBy: ['text'] });
    expect(fused[2]).toMatchObject({ id: 'z', matchedBy: ['vector'] });
  });

  it('lets a passage ranked moderately by both beat one ranked first by only one', () => {
    const fused = fuseRankings({ rankings: { text: ['solo', 'a', 'b', 'both'], vector: ['c', 'd', 'both'] } });
    expect(fused[0]!.id).toBe('both');
  });

  it('breaks ties by best single rank, then by id, deterministically', () => {
    const fused = fuseRankings({ rankings: { text: ['q', 'm'], vector: ['p', 'n'] } });
    expect(fused.map((f) => f.id)).toEqual(['p', 'q', 'm', 'n']);
  });

  it('counts a duplicate within one ranking only once, at its best position', () => {
    const fused = fuseRankings({ rankings: { text: ['a', 'a', 'b'] } });
    expect(fused).toEqual([
      { id: 'a', score: 1 / 61, matchedBy: ['text'] },
      { id: 'b', score: 1 / 62, matchedBy: ['text'] },
    ]);
  });

  it('handles empty and missing rankings, and honours a custom k', () => {
    expect(fuseRankings({ rankings: {} })).toEqual([]);
    expect(fuseRankings({ rankings: { text: [], vector: undefined } })).toEqual([]);
    expect(fuseRankings({ rankings: { text: ['a'] }, k: 0 })[0]!.score).toBe(1);
    expect(() => fuseRankings({ rankings: { text: ['a'] }, k: -1 })).toThrow(RangeError);
  });
});

describe('minimumMatchedWords (full-text relevance floor)', () => {
  it('asks for a good part of a short question and caps long rambling ones', () => {
    expect([1, 2, 3, 5, 7, 10, 30].map(minimumMatchedWords)).toEqual([1, 1, 2, 2, 3, 4, 4]);
  });
});
