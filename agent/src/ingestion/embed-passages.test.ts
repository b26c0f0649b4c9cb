import { describe, expect, it } from 'vitest';
import type { EmbeddingProvider } from '../providers/embeddings';
import { embedPassages } from './embed-passages';

const passages = Array.from({ length: 5 }, (_, i) => ({ ordinal: i, heading: i === 0 ? 'Intro' : null, page: null, text: `Passage ${i}` }));

/** Test stand-in: a provider that records what it was asked and fails from call `failFrom` on. */
function provider(opts: { failFrom?: number; dimensions?: number } = {}) {
  const calls: string[][] = [];
  const p: EmbeddingProvider = {
    id: 'test-model',
    dimensions: 384,
    embed: (texts) => {
      calls.push(texts);
      if (opts.failFrom !== undefined && calls.length >= opts.failFrom) return Promise.reject(new Error('service down'));
      return Promise.resolve(texts.map(() => new Float32Array(opts.dimensions ?? 384).fill(0.05)));
    },
  };
  return { p, calls };
}

describe('embedPassages', () => {
  it('embeds in batches, heading included, and renews the claim after each batch', async () => {
    const { p, calls } = provider();
    let touches = 0;
    const out = await embedPassages({ passages, embeddings: p, batchSize: 2, afterBatch: async () => void touches++ });
    expect(calls.map((c) => c.length)).toEqual([2, 2, 1]);
    expect(calls[0]![0]).toBe('Intro\n\nPassage 0');
    expect(touches).toBe(3);
    expect(out.embedded).toBe(5);
    expect(out.chunks.every((c) => c.embedding?.length === 384 && c.embeddingModel === 'test-model')).toBe(true);
  });

  it('stores the rest without vectors when the service fails part-way, and reports the error', async () => {
    const { p } = provider({ failFrom: 2 });
    const out = await embedPassages({ passages, embeddings: p, batchSize: 2 });
    expect(out.embedded).toBe(2);
    expect((out.error as Error).message).toBe('service down');
    expect(out.chunks.map((c) => c.embeddingModel)).toEqual(['test-model', 'test-model', null, null, null]);
    expect(out.chunks.map((c) => c.text)).toEqual(passages.map((x) => x.text));
  });

  it('treats vectors of the wrong size as a failure, and needs no provider at all', async () => {
    const wrong = await embedPassages({ passages, embeddings: provider({ dimensions: 768 }).p });
    expect(wrong.embedded).toBe(0);
    expect(wrong.chunks.every((c) => c.embedding === null)).toBe(true);
    const none = await embedPassages({ passages, embeddings: null });
    expect(none).toMatchObject({ embedded: 0, error: undefined });
  });
});
