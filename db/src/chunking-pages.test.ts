import { describe, expect, it } from 'vitest';
import { chunkPages, chunkPlainText } from './chunking';

describe('chunkPages', () => {
  it('never lets a passage span two pages, and skips pages without text', () => {
    const long = 'Each covered repair is paid directly to the shop after the deductible. '.repeat(25);
    const chunks = chunkPages(['Page one text.  \n\n\n\nStill page one.', '   \n', long]);
    expect(chunks[0]).toEqual({ ordinal: 0, heading: null, page: 1, text: 'Page one text.\n\nStill page one.' });
    const third = chunks.filter((c) => c.page === 3);
    expect(third.length).toBeGreaterThan(1);
    expect(chunks.some((c) => c.page === 2)).toBe(false);
    expect(chunks.map((c) => c.ordinal)).toEqual(chunks.map((_, i) => i));
    expect(third.every((c) => c.text.length <= 1200)).toBe(true);
  });
});

describe('chunkPlainText', () => {
  it('keeps a leading # as text: plain text has no headings', () => {
    expect(chunkPlainText('# 1 rule\r\n\r\nQuote APR.')).toEqual([{ ordinal: 0, heading: null, text: '# 1 rule\n\nQuote APR.' }]);
    expect(chunkPlainText(' \n ')).toEqual([]);
  });
});
