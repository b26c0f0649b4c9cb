import { type Db, createDb, isAppError, loadSessionForAgent } from '@avatar-adam/db';
import { type JobContext, type VAD, log } from '@livekit/agents';
import { env } from '../env';
import { type TProcessEngines, type TResolvedProviders, loadProcessEngines } from '../providers';
import { probeFliteVoices } from '../providers/tts-flite';
import { parseJobMetadata, parsePhoneJobMetadata } from './metadata';
import { type TDrain, type TLoadedSession, startConversation } from './start-conversation';
import { sessionLossTimings, startHeartbeat } from './lifecycle';
import { sessionPresence } from './presence';
import { createSessionEnder } from './session-end';
import { bindSessionLogger } from './session-logger';
import { processMetricSink } from '../metrics/reporter';
import { recordSessionEnded, recordSessionStarted } from '../metrics/session-metrics';
import { ATTR, annotateJob, traceStep } from '../tracing/job-trace';
import type { TAgentTracing } from '../tracing/provider';

/**
 * A job process's own state. `engines()` loads the speech and language engines once per process
 * and returns the same promise afterwards: a warm process may have them loaded before it takes a
 * session, otherwise they load while the job loads its session and joins the room.
 */
export type TProcData = { engines: () => Promise<TEnginesLoad>; tracing?: TAgentTracing };

export type TEnginesLoad = { ok: true; engines: TProcessEngines; vad: VAD } | { ok: false; error: string };

/**
 * What a warm job process does while it waits, holding no engine: probe the flite voices (the
 * failover voice of every session), so a session does not spend its first half-second on them.
 */
export function prepareWhileWaiting(): void {
  void probeFliteVoices();
}

/** Loads the process's speech and language engines; a failure is returned, not thrown. */
export async function loadEnginesForProcess(opts: { resolved: TResolvedProviders; vad: VAD }): Promise<TEnginesLoad> {
  const started = Date.now();
  try {
    const engines = await loadProcessEngines(opts);
    log().info({ loadMs: Date.now() - started }, 'speech engines loaded');
    return { ok: true, engines, vad: opts.vad };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log().error({ error }, `speech and language engines failed to load: ${message}`);
    return { ok: false, error: message };
  }
}

/**
 * The job entry: validate the dispatch, load the session for its dealership, then hand over to the
 * conversation. Every failure is logged with the session's fields and ends the job cleanly; a
 * session that was loaded is never left pending or live behind a dead job.
 */
export async function runPracticeSession(ctx: JobContext<TProcData>): Promise<void> {
  const jobStartedAt = Date.now();
  const roomName = ctx.job.room?.name ?? '';
  const phone = parsePhoneJobMetadata(ctx.job.metadata);
  annotateJob({ [ATTR.channel]: phone ? 'phone' : 'web' });
  if (phone) {
    const { runPhoneCall } = await import('../phone/run-phone-call');
    return runPhoneCall(ctx, { phoneLineId: phone.phoneLineId, jobStartedAt });
  }
  const parsed = parseJobMetadata(ctx.job.metadata);
  if (!parsed.ok) {
    log().error({ roomName, jobId: ctx.job.id, fields: parsed.fields }, parsed.error);
    ctx.shutdown('invalid job metadata');
    return;
  }
  const { metadata } = parsed;
  const logger = bindSessionLogger({
    sessionId: metadata.sessionId,
    roomName,
    dealershipId: metadata.dealershipId,
    jobId: ctx.job.id,
    requestId: metadata.requestId,
  });
  logger.info({ mode: metadata.mode, scenarioId: metadata.scenarioId }, 'practice session dispatched');
  // Joining the room (~0.2–0.5 s of signalling and ICE) overlaps opening the database and loading
  // the session: it was the greeting's longest wait. A dispatch that turns out not to match an
  // open session leaves the room again when the job shuts down.
  const connected = ctx.connect();
  connected.catch(() => undefined); // awaited, and reported, by the conversation

  let handle: Awaited<ReturnType<typeof createDb>>;
  let loaded: TLoadedSession;
  try {
    handle = await createDb({ url: env.DATABASE_URL });
  } catch (error) {
    logger.error({ error }, 'cannot open the database; leaving the room');
    ctx.shutdown('database unavailable');
    return;
  }
  try {
    const traced = { [ATTR.sessionId]: metadata.sessionId, [ATTR.dealershipId]: metadata.dealershipId, [ATTR.mode]: metadata.mode };
    annotateJob(traced);
    loaded = await traceStep('session.load', traced, () => loadSessionForAgent({ db: handle.db, ...metadata }));
  } catch (error) {
    const notFound = isAppError(error) && error.code === 'NOT_FOUND';
    logger.error(
      { error, dealershipId: metadata.dealershipId },
      notFound ? 'practice session not found for this dealership' : 'cannot load the practice session',
    );
    await handle.close();
    ctx.shutdown(notFound ? 'session not found' : 'session load failed');
    return;
  }

  const mismatch = describeMismatch(loaded, { ...metadata, roomName });
  if (mismatch || loaded.session.status === 'ended' || loaded.session.status === 'failed') {
    // Changes nothing: a dispatch that disagrees with the database is not this job's to settle.
    logger.error(
      { mismatch, status: loaded.session.status },
      'dispatch does not match an open practice session',
    );
    await handle.close();
    ctx.shutdown('session not open');
    return;
  }

  await holdSession({ ctx, db: handle.db, close: () => handle.close(), loaded, logger, jobStartedAt, connected });
}

/**
 * From a loaded, open session to the running conversation: this job now holds the session
 * (heartbeat), ends it on shutdown after draining the last turn, and fails it if the conversation
 * cannot start. Shared by web sessions and phone calls.
 */
export async function holdSession(opts: {
  ctx: JobContext<TProcData>;
  db: Db;
  close: () => Promise<void>;
  loaded: TLoadedSession;
  logger: ReturnType<typeof log>;
  jobStartedAt: number;
  /** Runs after the session is ended, before the database closes (a phone call hangs up here). */
  afterEnd?: () => Promise<void>;
  /** The room connection already under way (`ctx.connect()`), if the job started it. */
  connected?: Promise<void>;
}): Promise<void> {
  const { ctx, db, loaded, logger, jobStartedAt } = opts;
  const sessionId = loaded.session.id;
  const { roomName, dealershipId, mode, channel } = loaded.session;
  // A phone call learns its session only here: from now on its fields are on every line of the job.
  bindSessionLogger({ sessionId, roomName, dealershipId, jobId: ctx.job.id });
  const metrics = processMetricSink();
  recordSessionStarted(metrics, { mode, channel });
  const endOnce = createSessionEnder({ db, sessionId, logger, onEnded: (reason) => recordSessionEnded(metrics, reason) });
  // The first call decides the outcome and is the one traced; later calls only wait for it.
  let endTraced = false;
  const endSession: typeof endOnce = (reason, status) => {
    if (endTraced) return endOnce(reason, status);
    endTraced = true;
    return traceStep('session.end', { [ATTR.sessionId]: sessionId, 'avatar_adam.end_reason': reason }, () => endOnce(reason, status));
  };
  // From here this job holds the session: if the process dies, the beat stops and the reaper
  // fails the session with its turns intact.
  const { heartbeatIntervalMs } = sessionLossTimings(env.AGENT_SESSION_LOST_SECONDS);
  const stopHeartbeat = startHeartbeat({ db, sessionId, logger, presence: sessionPresence(), intervalMs: heartbeatIntervalMs });
  // The conversation registers how to drain itself (close the voice session so its last turn is
  // committed, then wait for the turn writes) before the session is ended and the database closed.
  const drain: TDrain = { run: async () => {} };
  ctx.addShutdownCallback(async () => {
    await drain.run().catch((error: unknown) => logger.warn({ error }, 'draining the conversation failed'));
    stopHeartbeat();
    await endSession('agent_shutdown');
    await opts.afterEnd?.().catch((error: unknown) => logger.warn({ error }, 'finishing the session failed'));
    await opts.close();
  });

  try {
    await startConversation({ ctx, db, loaded, endSession, logger, jobStartedAt, drain, metrics, connected: opts.connected });
  } catch (error) {
    logger.error({ error }, 'practice session failed to start');
    await endSession('agent_error', 'failed');
    ctx.shutdown('agent error');
  }
}

function describeMismatch(
  loaded: TLoadedSession,
  expected: { scenarioId: string; mode: string; roomName: string },
): string | undefined {
  if (loaded.session.roomName !== expected.roomName) return 'roomName';
  if (loaded.session.scenarioId !== expected.scenarioId) return 'scenarioId';
  if (loaded.session.mode !== expected.mode) return 'mode';
  return undefined;
}
