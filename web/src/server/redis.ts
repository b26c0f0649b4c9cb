import { Redis } from 'ioredis';
import { env } from '@/env';
import { logger } from './logger';

const cache = globalThis as unknown as { avatarAdamRedis?: Redis | null };

/** A command Redis has not answered by then counts as failed: a request never waits on it longer. */
const COMMAND_TIMEOUT_MS = 500;

/**
 * The process-wide Redis client when `REDIS_URL` is set (limits, caches and session presence
 * shared across web instances), else undefined. Commands fail fast while it is unreachable (no
 * offline queue, a command timeout for a server that stopped answering) so callers fall back to
 * in-process counts and caches; it reconnects on its own. Cached on globalThis for dev HMR.
 */
export function getRedis(): Redis | undefined {
  if (!env.REDIS_URL) return undefined;
  cache.avatarAdamRedis ??= new Redis(env.REDIS_URL, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: COMMAND_TIMEOUT_MS,
  }).on(
    'error',
    (error) => logger.warn({ err: error }, 'redis unavailable: limits and caches are per instance until it returns'),
  );
  return cache.avatarAdamRedis;
}
