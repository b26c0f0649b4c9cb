import { log } from '@livekit/agents';
import { Redis } from 'ioredis';
import { env } from '../env';

/** An unanswered command counts as failed after this: a reply never waits on Redis longer. */
const COMMAND_TIMEOUT_MS = 500;
/** One warning per this long while Redis is away; ioredis reports every reconnection attempt. */
const ERROR_LOG_INTERVAL_MS = 30_000;

let client: Redis | undefined;
let loggedAt = -Infinity;

/**
 * This process's Redis client when `REDIS_URL` is set (session presence, the query-embedding
 * cache), else undefined. Commands fail fast while Redis is away (no offline queue) so callers
 * carry on without it; ioredis reconnects on its own. One per process: job processes are forked.
 */
export function getAgentRedis(): Redis | undefined {
  if (!env.REDIS_URL) return undefined;
  client ??= new Redis(env.REDIS_URL, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: COMMAND_TIMEOUT_MS,
  }).on('error', (error) => {
    if (Date.now() - loggedAt < ERROR_LOG_INTERVAL_MS) return;
    loggedAt = Date.now();
    log().warn({ error }, 'redis unavailable: presence is not published and embeddings are cached in-process until it returns');
  });
  return client;
}
