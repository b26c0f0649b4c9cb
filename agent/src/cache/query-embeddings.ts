import { log } from '@livekit/agents';
import { createMemoryCacheStore, createRedisCacheStore, type TCacheStore } from '@avatar-adam/db';
import type { EmbeddingProvider } from '../providers';
import { cacheQueryEmbeddings, float32Codec } from './embedding-cache';
import { getAgentRedis } from './redis-client';

/** A question's vector never changes for a model; the TTL only bounds the memory it takes. */
const REDIS_TTL_MS = 24 * 60 * 60_000;
const MEMORY_TTL_MS = 60 * 60_000;
const MEMORY_ENTRIES = 2_000;

let store: TCacheStore<Float32Array> | undefined;

/**
 * The process's question-embedding store: Redis when `REDIS_URL` is set (every job process and
 * worker shares what any of them embedded), else in this job process.
 */
function queryEmbeddingStore(): TCacheStore<Float32Array> {
  const redis = getAgentRedis();
  store ??= redis
    ? createRedisCacheStore({ redis, prefix: 'avatar-adam:cache:query_embedding', codec: float32Codec })
    : createMemoryCacheStore({ maxEntries: MEMORY_ENTRIES });
  return store;
}

/** The session's embedding provider for questions, cached; null stays null (full-text retrieval). */
export function questionEmbeddings(provider: EmbeddingProvider | null, dealershipId: string): EmbeddingProvider | null {
  if (!provider) return null;
  const shared = queryEmbeddingStore();
  return cacheQueryEmbeddings({
    provider,
    store: shared,
    dealershipId,
    ttlMs: shared.kind === 'redis' ? REDIS_TTL_MS : MEMORY_TTL_MS,
    onStoreError: (error) => log().debug({ error }, 'query embedding cache unavailable; embedding the question'),
  });
}
