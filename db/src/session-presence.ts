/**
 * Session presence: while an agent job holds a practice session it keeps a short-lived Redis key
 * for it, refreshed with the heartbeat. The key disappears within PRESENCE_TTL_MS of the job
 * dying (or at once when it ends the session), well before the reaper's 45 s heartbeat timeout,
 * so lists of live sessions stop showing a session nobody is serving.
 */
export const PRESENCE_TTL_MS = 25_000;

/** The commands presence needs from an ioredis client (structural: no Redis driver here). */
export type TPresenceRedis = {
  set(key: string, value: string, mode: 'PX', ms: number): Promise<unknown>;
  del(key: string): Promise<number>;
  mget(...keys: string[]): Promise<(string | null)[]>;
};

export const presenceKey = (sessionId: string) => `avatar-adam:presence:session:${sessionId}`;

/** Marks the session served by `holder` (e.g. the job process) for the next PRESENCE_TTL_MS. */
export async function markSessionPresent(opts: { redis: TPresenceRedis; sessionId: string; holder: string; ttlMs?: number }) {
  await opts.redis.set(presenceKey(opts.sessionId), opts.holder, 'PX', opts.ttlMs ?? PRESENCE_TTL_MS);
}

/** The session is over for this job: its presence goes at once instead of at expiry. */
export async function clearSessionPresence(opts: { redis: TPresenceRedis; sessionId: string }) {
  await opts.redis.del(presenceKey(opts.sessionId));
}

/** Of `sessionIds`, the ones an agent job is serving right now, in one round trip. */
export async function findPresentSessions(opts: { redis: TPresenceRedis; sessionIds: readonly string[] }): Promise<Set<string>> {
  if (opts.sessionIds.length === 0) return new Set();
  const holders = await opts.redis.mget(...opts.sessionIds.map(presenceKey));
  return new Set(opts.sessionIds.filter((_, i) => holders[i] !== null));
}
