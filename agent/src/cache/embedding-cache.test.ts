import { createMemoryCacheStore, type TCacheStore } from '@avatar-adam/db';
import { describe, expect, it } from 'vitest';
import { EMBEDDING_DIMENSIONS, type EmbeddingProvider } from '../providers/embeddings';
import { agentCacheHits, agentCacheMisses } from './cache-counts';
import { QUERY_EMBEDDING_CACHE, cacheQueryEmbeddings, float32Codec, queryEmbeddingKey } from './embedding-cache';

/** A provider that records what it was asked to embed (a test double: unit test only). */
function recordingProvider(id = 'minilm-test') {
  const asked: string[][] = [];
  const provider: EmbeddingProvider = {
    id,
    dimensions: EMBEDDING_DIMENSIONS,
    embed: async (texts) => {
      asked.push(texts);
      return texts.map((t) => Float32Array.from({ length: 4 }, (_, i) => t.length + i / 10));
    },
  };
  return { provider, asked };
}
const count = (list: { cache: string; value: number }[]) => list.find((c) => c.cache === QUERY_EMBEDDING_CACHE)?.value ?? 0;

describe('question embedding cache', () => {
  it('embeds a question once and answers it again from the cache, texts out of order included', async () => {
    const { provider, asked } = recordingProvider();
    const store = createMemoryCacheStore<Float32Array>({ maxEntries: 10 });
    const cached = cacheQueryEmbeddings({ provider, store, dealershipId: 'd1', ttlMs: 60_000 });
    const [hitsBefore, missesBefore] = [count(agentCacheHits()), count(agentCacheMisses())];
    const [first] = await cached.embed(['Is GAP required?']);
    const [again, fresh] = await cached.embed(['  is gap   REQUIRED? ', 'What is a VSC?']);
    expect(again).toEqual(first);
    expect(fresh).toEqual(Float32Array.from([14, 14.1, 14.2, 14.3]));
    expect(asked).toEqual([['Is GAP required?'], ['What is a VSC?']]);
    expect(count(agentCacheHits()) - hitsBefore).toBe(1);
    expect(count(agentCacheMisses()) - missesBefore).toBe(2);
  });

  it('keeps vectors of different models and dealerships apart', async () => {
    const store = createMemoryCacheStore<Float32Array>({ maxEntries: 10 });
    const a = recordingProvider('model-a');
    const b = recordingProvider('model-b');
    await cacheQueryEmbeddings({ provider: a.provider, store, dealershipId: 'd1', ttlMs: 60_000 }).embed(['same words']);
    await cacheQueryEmbeddings({ provider: b.provider, store, dealershipId: 'd1', ttlMs: 60_000 }).embed(['same words']);
    await cacheQueryEmbeddings({ provider: a.provider, store, dealershipId: 'd2', ttlMs: 60_000 }).embed(['same words']);
    expect(a.asked).toHaveLength(2);
    expect(b.asked).toHaveLength(1);
    expect(queryEmbeddingKey({ model: 'm', dealershipId: 'd', text: 'secret question' })).not.toContain('secret');
  });

  it('embeds as usual when the store fails', async () => {
    const { provider, asked } = recordingProvider();
    const errors: unknown[] = [];
    const down = () => Promise.reject(new Error('redis down'));
    const store: TCacheStore<Float32Array> = { kind: 'redis', get: down, set: down, delete: down };
    const cached = cacheQueryEmbeddings({ provider, store, dealershipId: 'd1', ttlMs: 60_000, onStoreError: (e) => errors.push(e) });
    expect(await cached.embed(['a question'])).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(asked).toHaveLength(1);
    expect(errors).toHaveLength(2);
  });

  it('stores vectors as their float32 bytes, exactly', () => {
    const v = Float32Array.from([0.1, -0.25, 3.5e-8]);
    expect(float32Codec.decode(float32Codec.encode(v))).toEqual(v);
  });
});
