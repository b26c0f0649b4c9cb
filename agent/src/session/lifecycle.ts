import { type Db, touchSessionHeartbeat } from '@avatar-adam/db';
import { type log, voice } from '@livekit/agents';
import type { TSessionData } from './metadata';
import type { TPresence } from './presence';
import type { TEndReason } from './session-end';

type Logger = ReturnType<typeof log>;

/**
 * How a dead agent's session is noticed, from AGENT_SESSION_LOST_SECONDS: the reaper fails a held
 * session after that long without a heartbeat (45 s by default, HEARTBEAT_TIMEOUT_MS in db); the
 * job beats 4.5 times and every worker's maintenance pass runs 3 times in that window, so a slow
 * beat or two never fails a live session.
 */
export function sessionLossTimings(lostSeconds: number) {
  const reapAfterMs = Math.round(lostSeconds * 1000);
  return { reapAfterMs, heartbeatIntervalMs: Math.round(reapAfterMs / 4.5), maintenanceIntervalMs: Math.round(reapAfterMs / 3) };
}

/**
 * Keeps the session's heartbeat fresh while this job holds it, and its Redis presence when given
 * (refreshed even while the database is unreachable: the agent is still serving the room). Returns
 * the stop function, which also clears the presence.
 */
export function startHeartbeat(opts: { db: Db; sessionId: string; logger: Logger; presence?: TPresence; intervalMs: number }): () => void {
  const { presence, sessionId } = opts;
  const presenceFailed = (error: unknown) => opts.logger.debug({ error }, 'session presence not published');
  const beat = () => {
    presence?.mark(sessionId).catch(presenceFailed);
    return touchSessionHeartbeat(opts).then(
      (open) => {
        if (open) return;
        opts.logger.warn('heartbeat refused: the session is no longer open');
        presence?.clear(sessionId).catch(presenceFailed);
      },
      (error: unknown) => opts.logger.warn({ error }, 'session heartbeat failed'),
    );
  };
  void beat();
  const timer = setInterval(beat, opts.intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    presence?.clear(sessionId).catch(presenceFailed);
  };
}

export type TConversationLimits = {
  /** Seconds of silence from both sides before the agent checks in (agents-js "away" state). */
  idleAfterSeconds: number;
  /** Check-ins without an answer before the session ends. */
  maxIdlePrompts: number;
  /** Hard cap on a session's length; the agent wraps up politely, then ends it. */
  maxSessionMinutes: number;
};

export const IDLE_PROMPT_INSTRUCTIONS =
  'The trainee has gone quiet. In one short sentence, in character, check whether they are still there or ask a simple question to get things moving again.';
export const TIME_UP_MESSAGE =
  "We're at the end of the practice time for this session. Thanks, that's all for now. Your scorecard will be ready in a moment.";
export const IDLE_GOODBYE_MESSAGE =
  "It sounds like you've stepped away, so I'll end the session here. Start a new one whenever you're ready.";

/**
 * Idle check-ins and the maximum length. The trainee going quiet gets a nudge in character; after
 * `maxIdlePrompts` unanswered nudges, or at the time limit, the agent says goodbye and ends the
 * session (so an abandoned tab does not hold a worker forever).
 */
export function enforceConversationLimits(opts: {
  session: voice.AgentSession<TSessionData>;
  limits: TConversationLimits;
  end: (reason: TEndReason) => void;
  logger: Logger;
}): () => void {
  const { session, limits, logger } = opts;
  let unanswered = 0;
  let ending = false;

  const finish = async (reason: TEndReason, message: string) => {
    if (ending) return;
    ending = true;
    logger.info({ reason }, 'ending the conversation');
    try {
      session.interrupt();
      await session.say(message, { allowInterruptions: false }).waitForPlayout();
    } catch (error) {
      logger.warn({ error }, 'could not say goodbye');
    }
    opts.end(reason);
  };

  // agents-js reports "away" once per silence; a trainee who stays silent after a check-in stays
  // "away", so the next check-in is timed here, from the end of the previous one.
  let idleTimer: NodeJS.Timeout | undefined;
  let spokeSince = 0;
  const onIdle = () => {
    if (ending) return;
    if (unanswered >= limits.maxIdlePrompts) {
      void finish('trainee_idle', IDLE_GOODBYE_MESSAGE);
      return;
    }
    unanswered++;
    logger.info({ unanswered }, 'trainee idle: checking in');
    const epoch = spokeSince;
    const checkIn = session.generateReply({ instructions: IDLE_PROMPT_INSTRUCTIONS });
    void checkIn.waitForPlayout().then(() => {
      if (ending || spokeSince !== epoch) return;
      idleTimer = setTimeout(() => {
        if (spokeSince === epoch) onIdle();
      }, limits.idleAfterSeconds * 1000);
      idleTimer.unref();
    });
  };
  const onUserState = (ev: voice.UserStateChangedEvent) => {
    if (ev.newState === 'speaking') {
      unanswered = 0;
      spokeSince++;
      clearTimeout(idleTimer);
    }
    if (ev.newState === 'away') onIdle();
  };
  session.on(voice.AgentSessionEventTypes.UserStateChanged, onUserState);
  const timer = setTimeout(() => void finish('time_limit', TIME_UP_MESSAGE), limits.maxSessionMinutes * 60_000);
  timer.unref();
  return () => {
    clearTimeout(timer);
    clearTimeout(idleTimer);
    session.off(voice.AgentSessionEventTypes.UserStateChanged, onUserState);
  };
}
