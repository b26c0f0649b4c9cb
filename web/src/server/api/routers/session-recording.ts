import { AppError, getSessionRecordingAudio, listSessionRecordings } from '@avatar-adam/db';
import { z } from 'zod';
import { createCallerFactory, createTRPCRouter, sessionViewerProcedure } from '../trpc';

const ZRecordingInput = z.object({ recordingId: z.uuid() });

const notFound = (recordingId: string, sessionId: string) =>
  new AppError('NOT_FOUND', {
    message: `recording ${recordingId} of session ${sessionId} not found`,
    userMessage: 'That recording does not exist.',
  });

/**
 * A session's audio, as procedures: the route handler (`app/api/sessions/[id]/recordings/[recordingId]`)
 * streams it with byte ranges and calls these in-process, so who may listen is decided by the same
 * middleware as the transcript (the trainee, or a manager of their dealership). Not part of
 * `appRouter`: audio does not travel as tRPC JSON.
 */
export const sessionRecordingRouter = createTRPCRouter({
  /** The part's size and type, to answer a range request before any audio is read. */
  info: sessionViewerProcedure.input(ZRecordingInput).query(async ({ ctx, input }) => {
    const parts = await listSessionRecordings({ db: ctx.db, sessionId: ctx.practiceSession.id, dealershipId: ctx.dealershipId });
    const part = parts.find((p) => p.id === input.recordingId);
    if (!part) throw notFound(input.recordingId, ctx.practiceSession.id);
    return { ...part, sessionStartedAt: ctx.practiceSession.createdAt };
  }),

  /** The audio, whole or the inclusive byte range asked for. */
  audio: sessionViewerProcedure
    .input(ZRecordingInput.extend({ range: z.object({ start: z.number().int().min(0), end: z.number().int().min(0) }).optional() }))
    .query(async ({ ctx, input }) => {
      const part = await getSessionRecordingAudio({
        db: ctx.db,
        recordingId: input.recordingId,
        sessionId: ctx.practiceSession.id,
        dealershipId: ctx.dealershipId,
        range: input.range,
      });
      if (!part) throw notFound(input.recordingId, ctx.practiceSession.id);
      return part;
    }),
});

export const createSessionRecordingCaller = createCallerFactory(sessionRecordingRouter);
