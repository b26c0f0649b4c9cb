import { createRedisCacheStore, type TCacheStore } from '@avatar-adam/db';
import superjson from 'superjson';
import { logger } from './logger';
import { getRedis } from './redis';
import { createTtlCache, type TTtlCacheOptions } from './ttl-cache';

/** One warning per cache per this long while Redis is away: every request would otherwise log. */
const SHARED_ERROR_LOG_INTERVAL_MS = 30_000;

/**
 * A web cache (see createTtlCache): in this process, and in Redis too when `REDIS_URL` is set, so
 * every web instance serves what one of them computed. Keys live under `avatar-adam:cache:<name>`;
 * values go through superjson (dates survive). While Redis is unreachable each instance computes
 * for itself, as without Redis.
 */
export function createWebCache<V>(opts: Omit<TTtlCacheOptions<V>, 'shared' | 'onSharedError'>) {
  let shared: TCacheStore<V> | undefined;
  let loggedAt = -Infinity;
  return createTtlCache<V>({
    ...opts,
    // Resolved on first use, so importing a router never opens a connection.
    shared: () => {
      const redis = getRedis();
      if (!redis) return undefined;
      shared ??= createRedisCacheStore<V>({
        redis,
        prefix: `avatar-adam:cache:${opts.name}`,
        codec: { encode: (v) => superjson.stringify(v), decode: (t) => superjson.parse<V>(t) },
      });
      return shared;
    },
    onSharedError: (error) => {
      if (Date.now() - loggedAt < SHARED_ERROR_LOG_INTERVAL_MS) return;
      loggedAt = Date.now();
      logger.warn({ err: error, cache: opts.name }, 'shared cache unavailable: computing in this instance');
    },
  });
}
