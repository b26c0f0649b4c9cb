import { findPresentSessions, type TPresenceRedis } from '@avatar-adam/db';
import type { Logger } from 'pino';

/**
 * What the web knows of agents serving live sessions. With Redis, each agent job keeps a presence
 * key per session fresh with its heartbeat (see @avatar-adam/db session-presence), so a session whose
 * agent died leaves the observe list within ~25 s instead of at the reaper's 45 s + pass; without
 * Redis the heartbeat rule of `listLiveSessions` is all there is.
 */
export type TSessionPresence = {
  /**
   * `sessions` without the live ones no agent is serving. Pending sessions stay (no agent has
   * joined yet); if Redis does not answer, every session stays (the heartbeat rule still applies).
   */
  keepServed<T extends { id: string; status: string }>(sessions: T[]): Promise<T[]>;
};

export const heartbeatOnlyPresence: TSessionPresence = { keepServed: async (sessions) => sessions };

export function createSessionPresence(opts: { redis: TPresenceRedis | undefined; logger: Logger }): TSessionPresence {
  const { redis } = opts;
  if (!redis) return heartbeatOnlyPresence;
  return {
    async keepServed(sessions) {
      const live = sessions.filter((s) => s.status === 'live').map((s) => s.id);
      if (live.length === 0) return sessions;
      try {
        const present = await findPresentSessions({ redis, sessionIds: live });
        return sessions.filter((s) => s.status !== 'live' || present.has(s.id));
      } catch (error) {
        opts.logger.warn({ err: error }, 'session presence unavailable: listing live sessions by heartbeat');
        return sessions;
      }
    },
  };
}
