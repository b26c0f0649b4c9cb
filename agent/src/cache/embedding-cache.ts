import { createHash } from 'node:crypto';
import type { TCacheStore, TCodec } from '@avatar-adam/db';
import type { EmbeddingProvider } from '../providers';
import { countAgentCacheHit, countAgentCacheMiss } from './cache-counts';

export const QUERY_EMBEDDING_CACHE = 'query_embedding';

/** Vectors as the bytes of their float32s, base64: 384 floats in ~2 KB instead of ~8 KB of JSON. */
export const float32Codec: TCodec<Float32Array> = {
  encode: (v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64'),
  decode: (text) => {
    const bytes = Buffer.from(text, 'base64');
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  },
};

/**
 * The key of one question's vector: the model (vectors of two models are not comparable) and the
 * dealership (what one tenant's trainees ask is theirs), then a hash of the text as it would be
 * embedded once case and spacing are normalised, so the question itself is not stored in a key.
 */
export function queryEmbeddingKey(opts: { model: string; dealershipId: string; text: string }): string {
  const normalised = opts.text.trim().replace(/\s+/g, ' ').toLowerCase();
  const digest = createHash('sha256').update(normalised).digest('base64url');
  return `${opts.model}:${opts.dealershipId}:${digest}`;
}

/**
 * `provider` with a cache in front for questions: a repeated question (a preemptive generation
 * and its final one, a trainee asking again, a colleague asking the same) is looked up instead of
 * embedded again. Texts not cached are embedded in one call. A failing store counts as a miss.
 */
export function cacheQueryEmbeddings(opts: {
  provider: EmbeddingProvider;
  store: TCacheStore<Float32Array>;
  dealershipId: string;
  ttlMs: number;
  onStoreError?: (error: unknown) => void;
  now?: () => number;
}): EmbeddingProvider {
  const { provider, store } = opts;
  const now = opts.now ?? Date.now;
  const failed = (error: unknown) => {
    opts.onStoreError?.(error);
    return undefined;
  };
  return {
    id: provider.id,
    dimensions: provider.dimensions,
    async embed(texts) {
      const keys = texts.map((text) => queryEmbeddingKey({ model: provider.id, dealershipId: opts.dealershipId, text }));
      const found = await Promise.all(keys.map((key) => store.get(key).catch(failed)));
      const missing = texts.flatMap((text, i) => (found[i] ? [] : [{ text, i }]));
      for (let i = 0; i < texts.length - missing.length; i++) countAgentCacheHit(QUERY_EMBEDDING_CACHE);
      const vectors = missing.length > 0 ? await provider.embed(missing.map((m) => m.text)) : [];
      const out = found.map((f) => f?.value);
      missing.forEach(({ i }, j) => {
        countAgentCacheMiss(QUERY_EMBEDDING_CACHE);
        const vector = vectors[j];
        out[i] = vector;
        if (vector) store.set(keys[i]!, { value: vector, storedAt: now() }, opts.ttlMs).catch(failed);
      });
      return out.filter((v): v is Float32Array => v !== undefined);
    },
  };
}
