import { describe, expect, it } from 'vitest';
import { chunkMarkdown } from './chunking';

describe('chunkMarkdown', () => {
  it('makes one chunk per section with its heading', () => {
    const chunks = chunkMarkdown('# Title\nIntro line.\n\n## GAP\nPays the gap.\n\n## Tire & wheel\nCovers tires.\n');
    expect(chunks.map((c) => c.heading)).toEqual(['Title', 'GAP', 'Tire & wheel']);
    expect(chunks[1]?.text).toBe('Pays the gap.');
    expect(chunks.map((c) => c.ordinal)).toEqual([0, 1, 2]);
  });
  it('skips empty sections and keeps text before the first heading', () => {
    const chunks = chunkMarkdown('Preface.\n## Empty\n\n## Full\nBody');
    expect(chunks).toEqual([
      { ordinal: 0, heading: null, text: 'Preface.' },
      { ordinal: 1, heading: 'Full', text: 'Body' },
    ]);
  });
  it('splits a long section at paragraph and sentence boundaries', () => {
    const paragraph = 'This sentence explains a product in some detail. '.repeat(40);
    const chunks = chunkMarkdown(`## Long\n${paragraph}\n\n${paragraph}`);
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks) {
      expect(c.text.length).toBeLessThanOrEqual(1200);
      expect(c.heading).toBe('Long');
      expect(c.text.trim().endsWith('.')).toBe(true);
    }
  });
});
