import { type Db, failAbandonedSessions } from '@avatar-adam/db';
import type { log } from '@livekit/agents';
import { ATTR, traceStep } from '../tracing/job-trace';

type Logger = ReturnType<typeof log>;

/** How often the worker looks for abandoned sessions. */
export const MAINTENANCE_INTERVAL_MS = 15_000;

/**
 * One pass of the worker's background duty: fail sessions whose agent died (their turns stay).
 * Scoring them is the job worker's: its sweep gives every finished, unscored session a
 * `score-session` job. Every worker runs the pass; it is idempotent, so two workers doing it at
 * once change nothing twice. Each pass is a `maintenance.reap` span (a trace of its own) carrying
 * only how many sessions it reaped; which ones is in the log lines.
 */
export async function runMaintenancePass(opts: { db: Db; logger: Logger; now?: Date }): Promise<{ reaped: number }> {
  return traceStep('maintenance.reap', {}, async (span) => {
    const reaped = await failAbandonedSessions({ db: opts.db, now: opts.now });
    span.setAttribute(ATTR.sessionsReaped, reaped.length);
    for (const session of reaped) {
      opts.logger.warn({ sessionId: session.id, reason: session.endReason }, 'abandoned practice session marked failed');
    }
    return { reaped: reaped.length };
  });
}

/** Runs a pass now and then every MAINTENANCE_INTERVAL_MS; passes never overlap. Returns stop. */
export function startMaintenance(opts: { db: Db; logger: Logger }): () => void {
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
