import { setTimeout as sleep } from 'node:timers/promises';
import { type Db, endPracticeSession } from '@avatar-adam/db';
import type { log } from '@livekit/agents';
import { currentTraceCarrier } from '../tracing/job-trace';

type Logger = ReturnType<typeof log>;

export type TEndReason = 'trainee_left' | 'trainee_idle' | 'trainee_no_show' | 'time_limit' | 'agent_shutdown' | 'agent_error';
export type TEndSession = (reason: TEndReason, status?: 'ended' | 'failed') => Promise<void>;

/** A session left "live" looks in progress forever, so a failed write is retried a little. */
const RETRY_DELAYS_MS = [250, 1000];

/**
 * Ends the practice session once, whichever path gets there first (trainee left, job shutdown,
 * error); later calls wait for the first. The first outcome is the true one: if its writes all
 * fail, it is logged and the next caller (at the latest the shutdown hook) retries that outcome
 * rather than recording its own, later reason.
 */
export function createSessionEnder(opts: {
  db: Db;
  sessionId: string;
  logger: Logger;
  /** Called once, with the first (true) reason, as soon as it is known: the session's metrics. */
  onEnded?: (reason: TEndReason) => void;
}): TEndSession {
  let outcome: { reason: TEndReason; status: 'ended' | 'failed' } | undefined;
  let ending: Promise<void> | undefined;

  const write = async (first: NonNullable<typeof outcome>): Promise<boolean> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await endPracticeSession({ db: opts.db, sessionId: opts.sessionId, ...first, trace: currentTraceCarrier() });
      } catch (error) {
        const delay = RETRY_DELAYS_MS[attempt];
        if (delay === undefined) throw error;
        const fields = { error, attempt: attempt + 1, ...first };
        opts.logger.warn(fields, 'ending the practice session failed; retrying');
        await sleep(delay);
      }
    }
  };

  return (reason, status = 'ended') => {
    if (!outcome) {
      outcome = { reason, status };
      opts.onEnded?.(reason);
    }
    const first = outcome;
    ending ??= write(first).then(
      (changed) => {
        opts.logger.info({ ...first, changed }, 'practice session ended');
      },
      (error: unknown) => {
        ending = undefined;
        opts.logger.error({ error, ...first }, 'could not end the practice session');
      },
    );
    return ending;
  };
}
