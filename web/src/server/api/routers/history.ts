import { AppError, getCitedPassage, getScorecard, getSessionTranscript } from '@avatar-adam/db';
import { z } from 'zod';
import { createTRPCRouter, sessionViewerProcedure, tenantProcedure } from '../trpc';

export const ZCitationInput = z.object({ chunkId: z.uuid() });

/** What a finished (or running) session left behind: its transcript, its scorecard, Adam's sources. */
export const historyRouter = createTRPCRouter({
  /** Every turn in spoken order with the reply latencies, plus what the session was. */
  transcript: sessionViewerProcedure.query(async ({ ctx }) => {
    const session = ctx.practiceSession;
    const turns = await getSessionTranscript({ db: ctx.db, sessionId: session.id, dealershipId: ctx.dealershipId });
    return {
      session: {
        id: session.id,
        mode: session.mode,
        status: session.status,
        scenarioTitle: session.scenarioTitle,
        personaName: session.personaName,
        traineeName: session.traineeName,
        createdAt: session.createdAt,
        endedAt: session.endedAt,
      },
      turns,
    };
  }),

  /**
   * The session's scorecard, or null until the scorer has picked it up. A failed card carries no
   * reason: the scorer's error is for the logs, not the trainee.
   */
  scorecard: sessionViewerProcedure.query(async ({ ctx }) => {
    const card = await getScorecard({ db: ctx.db, sessionId: ctx.practiceSession.id, dealershipId: ctx.dealershipId });
    if (!card) return null;
    return {
      status: card.status,
      mode: ctx.practiceSession.mode,
      overallScore: card.overallScore,
      tier: card.tier,
      autoFailed: card.autoFailed,
      summary: card.summary,
      items: card.items.map((i) => ({
        id: i.id,
        step: i.step,
        score: i.score,
        maxScore: i.maxScore,
        evidenceQuote: i.evidenceQuote,
        turnSequence: i.turnSequence,
        rationale: i.rationale,
      })),
      flags: card.flags.map((f) => ({
        id: f.id,
        rule: f.rule,
        severity: f.severity,
        evidenceQuote: f.evidenceQuote,
        turnSequence: f.turnSequence,
        detectedBy: f.detectedBy,
        explanation: f.explanation,
      })),
    };
  }),

  /** A passage Adam cited, from the caller's dealership's knowledge base. */
  citation: tenantProcedure.input(ZCitationInput).query(async ({ ctx, input }) => {
    const passage = await getCitedPassage({ db: ctx.db, chunkId: input.chunkId, dealershipId: ctx.dealershipId });
    if (!passage) {
      throw new AppError('NOT_FOUND', {
        message: `chunk ${input.chunkId} not found for dealership ${ctx.dealershipId}`,
        userMessage: 'That source is no longer in the knowledge base.',
      });
    }
    return passage;
  }),
});
