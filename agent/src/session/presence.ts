import { hostname } from 'node:os';
import { type TPresenceRedis, clearSessionPresence, markSessionPresent } from '@avatar-adam/db';
import { getAgentRedis } from '../cache/redis-client';

export type TPresence = {
  /** Refreshes the session's presence key (called with every heartbeat). */
  mark(sessionId: string): Promise<void>;
  /** Removes it when this job lets the session go, so lists drop it at once. */
  clear(sessionId: string): Promise<void>;
};

/** Presence in `redis`, naming this job process as the holder (for whoever inspects Redis). */
export function createPresence(redis: TPresenceRedis, holder = `${hostname()}:${process.pid}`): TPresence {
  return {
    mark: (sessionId) => markSessionPresent({ redis, sessionId, holder }),
    clear: (sessionId) => clearSessionPresence({ redis, sessionId }),
  };
}

/** This process's presence publisher when `REDIS_URL` is set; without Redis, heartbeat_at is all. */
export function sessionPresence(): TPresence | undefined {
  const redis = getAgentRedis();
  return redis ? createPresence(redis) : undefined;
}
