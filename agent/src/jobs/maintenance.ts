import { type Db, failAbandonedSessions } from '@avatar-adam/db';
import type { log } from '@livekit/agents';
import { ATTR, traceStep } from '../tracing/job-trace';

type Logger = ReturnType<typeof log>;

/**
 * One pass of the worker's background duty: fail sessions whose agent died (their turns stay).
 * Scoring them is the job worker's: its sweep gives every finished, unscored session a
 * `score-session` job. Every worker runs the pass; it is idempotent, so two workers doing it at
 * once change nothing twice. Each pass is a `maintenance.reap` span (a trace of its own) carrying
 * only how many sessions it reaped; which ones is in the log lines.
 */
export async function runMaintenancePass(opts: {
  db: Db;
  logger: Logger;
  now?: Date;
  /** Without a heartbeat for this long a held session is failed (default: db's HEARTBEAT_TIMEOUT_MS). */
  heartbeatTimeoutMs?: number;
}): Promise<{ reaped: number }> {
  return traceStep('maintenance.reap', {}, async (span) => {
    const reaped = await failAbandonedSessions({ db: opts.db, now: opts.now, heartbeatTimeoutMs: opts.heartbeatTimeoutMs });
    span.setAttribute(ATTR.sessionsReaped, reaped.length);
    for (const session of reaped) {
      opts.logger.warn({ sessionId: session.id, reason: session.endReason }, 'abandoned practice session marked failed');
    }
    return { reaped: reaped.length };
  });
}

/**
 * Runs a pass now and then every `intervalMs` (see sessionLossTimings); passes never overlap.
 * Returns stop.
 */
export function startMaintenance(opts: { db: Db; logger: Logger; intervalMs: number; heartbeatTimeoutMs: number }): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const loop = async () => {
    try {
      await runMaintenancePass(opts);
    } catch (error) {
      opts.logger.warn({ error }, 'maintenance pass failed; retrying on the next one');
    }
    if (!stopped) timer = setTimeout(loop, opts.intervalMs).unref();
  };
  void loop();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
