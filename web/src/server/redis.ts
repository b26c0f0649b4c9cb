import { Redis } from 'ioredis';
import { env } from '@/env';
import { logger } from './logger';

const cache = globalThis as unknown as { avatarAdamRedis?: Redis | null };

/**
 * The process-wide Redis client when `REDIS_URL` is set (shared limits across web instances), else
 * undefined. Commands fail fast while it is unreachable (no offline queue) so callers fall back to
 * in-process counts; it reconnects on its own. Cached on globalThis for dev HMR.
 */
export function getRedis(): Redis | undefined {
  if (!env.REDIS_URL) return undefined;
  cache.avatarAdamRedis ??= new Redis(env.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }).on(
    'error',
    (error) => logger.warn({ err: error }, 'redis unavailable: limits are counted per instance until it returns'),
  );
  return cache.avatarAdamRedis;
}
