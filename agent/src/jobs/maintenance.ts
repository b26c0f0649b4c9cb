import { type Db, failAbandonedSessions, listSessionsAwaitingScorecard } from '@avatar-adam/db';
import type { log } from '@livekit/agents';
import type { TJudge } from '../scoring/judge';
import { scoreSession } from '../scoring/score-session';

type Logger = ReturnType<typeof log>;

/** How often the worker looks for abandoned sessions and unscored ones. */
export const MAINTENANCE_INTERVAL_MS = 15_000;

/**
 * One pass of the worker's background duties: fail sessions whose agent died (their turns stay),
 * then score finished sessions that have no scorecard — normally the session's own job scores it
 * as it ends; this catches the ones whose job was killed first. Every worker runs it; each step is
 * idempotent, so two workers doing the same pass change nothing twice.
 */
export async function runMaintenancePass(opts: { db: Db; logger: Logger; judge?: TJudge; now?: Date }): Promise<{
  reaped: number;
  scored: number;
  failed: number;
}> {
  const reaped = await failAbandonedSessions({ db: opts.db, now: opts.now });
  for (const session of reaped) {
    opts.logger.warn({ sessionId: session.id, reason: session.endReason }, 'abandoned practice session marked failed');
  }
  let scored = 0;
  let failed = 0;
  for (const session of await listSessionsAwaitingScorecard({ db: opts.db, now: opts.now, limit: 5 })) {
    try {
      await scoreSession({ db: opts.db, ...session, judge: opts.judge });
      scored++;
    } catch (error) {
      failed++;
      opts.logger.error({ error, sessionId: session.sessionId }, 'scoring a finished session failed');
    }
  }
  return { reaped: reaped.length, scored, failed };
}

/** Runs a pass now and then every MAINTENANCE_INTERVAL_MS; passes never overlap. Returns stop. */
export function startMaintenance(opts: { db: Db; logger: Logger; judge?: TJudge }): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const loop = async () => {
    try {
      await runMaintenancePass(opts);
    } catch (error) {
      opts.logger.warn({ error }, 'maintenance pass failed; retrying on the next one');
    }
    if (!stopped) timer = setTimeout(loop, MAINTENANCE_INTERVAL_MS).unref();
  };
  void loop();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
