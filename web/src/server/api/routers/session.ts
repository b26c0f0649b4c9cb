import {
  AppError,
  endPracticeSession,
  failAbandonedSessions,
  getScenarioForDealership,
  startPracticeSession,
  type TPracticeSession,
} from '@avatar-adam/db';
import { z } from 'zod';
import { currentTraceCarrier, type TTraceCarrier } from '../../tracing-spans';
import { createTRPCRouter, sessionViewerProcedure, tenantProcedure } from '../trpc';

/**
 * The job metadata the agent worker parses; keep in step with the agent's entry point. With
 * tracing on it also carries this request's W3C `traceparent`, so the agent's spans join its trace.
 */
export type TDispatchMetadata = {
  sessionId: string;
  mode: TPracticeSession['mode'];
  scenarioId: string;
  dealershipId: string;
  /** The request that started the session: the agent's log lines for it carry this id too. */
  requestId: string;
} & TTraceCarrier;

/** With `assignmentId` (the caller's own assignment of that scenario) the session counts for it. */
export const ZStartSessionInput = z.object({ scenarioId: z.uuid(), assignmentId: z.uuid().optional() });

export const sessionRouter = createTRPCRouter({
  /**
   * Creates the session row, the trainee's join token and the LiveKit room with the agent
   * dispatched into it. If the room cannot be set up the row ends `failed`, never stuck `pending`.
   */
  start: tenantProcedure.input(ZStartSessionInput).mutation(async ({ ctx, input }) => {
    const user = ctx.session.user;
    // The next start settles sessions whose agent died (the worker's reaper does it too), so a
    // history never shows a conversation as live forever.
    const reaped = await failAbandonedSessions({ db: ctx.db, dealershipId: ctx.dealershipId });
    if (reaped.length > 0) ctx.logger.warn({ sessions: reaped }, 'abandoned practice sessions marked failed');
    const session = await startPracticeSession({
      db: ctx.db,
      dealershipId: ctx.dealershipId,
      traineeId: user.id,
      scenarioId: input.scenarioId,
      assignmentId: input.assignmentId,
      channel: 'web',
    });
    const log = ctx.logger.child({ sessionId: session.id, roomName: session.roomName });
    const dispatch: TDispatchMetadata = {
      sessionId: session.id,
      mode: session.mode,
      scenarioId: session.scenarioId,
      dealershipId: session.dealershipId,
      requestId: ctx.requestId,
      ...currentTraceCarrier(),
    };

    // Mint first: it is local, so a failure there (bad config) never leaves an orphaned room.
    let failedStep = 'token_mint_failed';
    let token: string;
    try {
      token = await ctx.livekit.mintParticipantToken({
        roomName: session.roomName,
        identity: user.id,
        name: user.name,
      });
      failedStep = 'room_create_failed';
      await ctx.livekit.createPracticeRoom({
        roomName: session.roomName,
        metadata: JSON.stringify({ sessionId: session.id, mode: session.mode }),
        agentName: ctx.livekit.agentName,
        dispatchMetadata: JSON.stringify(dispatch),
      });
    } catch (cause) {
      log.error({ err: cause, step: failedStep }, 'practice room setup failed');
      await endPracticeSession({ db: ctx.db, sessionId: session.id, status: 'failed', reason: failedStep });
      throw new AppError('UNAVAILABLE', {
        message: `${failedStep} for room ${session.roomName}`,
        userMessage: 'We could not open a practice room right now. Please try again in a minute.',
        cause,
      });
    }

    const scenario = await getScenarioForDealership({
      db: ctx.db,
      dealershipId: ctx.dealershipId,
      scenarioId: session.scenarioId,
    });
    log.info({ mode: session.mode, scenarioId: session.scenarioId }, 'practice session started');

    return {
      sessionId: session.id,
      roomName: session.roomName,
      token,
      serverUrl: ctx.livekit.serverUrl,
      mode: session.mode,
      scenario: { id: session.scenarioId, title: scenario?.title ?? '' },
    };
  }),

  /** Status of one session the caller may see, so the UI can show live / ended. */
  get: sessionViewerProcedure.query(({ ctx }) => {
    const row = ctx.practiceSession;
    return {
      id: row.id,
      status: row.status,
      mode: row.mode,
      channel: row.channel,
      scenarioId: row.scenarioId,
      roomName: row.roomName,
      createdAt: row.createdAt,
      liveAt: row.liveAt,
      endedAt: row.endedAt,
      endReason: row.endReason,
    };
  }),
});

