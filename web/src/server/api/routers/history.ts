import {
  AppError,
  getCitedPassage,
  getScorecard,
  getSessionTranscript,
  listSessionRecordings,
  listSessionsForViewer,
  listTraineesForFilter,
  schema,
  SESSION_HISTORY_MAX_LIMIT,
} from '@avatar-adam/db';
import { z } from 'zod';
import superjson from 'superjson';
import { createTRPCRouter, managerProcedure, serializeOnce, sessionViewerProcedure, tenantProcedure } from '../trpc';
import { createWebCache } from '../../cache';

export const ZCitationInput = z.object({ chunkId: z.uuid() });

/** `from` is inclusive and `to` exclusive, so a range of days ends at the midnight after the last. */
export const ZHistoryFilters = z
  .object({
    traineeId: z.uuid().optional(),
    scenarioId: z.uuid().optional(),
    mode: z.enum(schema.practiceMode.enumValues).optional(),
    status: z.enum(schema.sessionStatus.enumValues).optional(),
    from: z.date().optional(),
    to: z.date().optional(),
  })
  .refine((f) => !f.from || !f.to || f.from < f.to, {
    message: 'The start date must be before the end date.',
    path: ['to'],
  });

export const ZHistoryListInput = z.object({
  filters: ZHistoryFilters.default({}),
  /** The previous page's `nextCursor`; absent (or null) for the first page. */
  cursor: z.string().max(200).nullish(),
  limit: z.number().int().min(1).max(SESSION_HISTORY_MAX_LIMIT).default(20),
});

/**
 * A page of history stays fresh for 2 s: the same list asked again — a page reloaded, the list
 * refetched on focus, a manager's tabs — costs neither a query nor a serialisation, while a session
 * that just changed status shows up within two seconds.
 */
const historyPages = createWebCache<Awaited<ReturnType<typeof listSessionsForViewer>>>({ name: 'history_list', ttlMs: 2_000, staleMs: 0, maxEntries: 2_000, adopt: serializeOnce });

/** What a finished (or running) session left behind: its transcript, its scorecard, Adam's sources. */
export const historyRouter = createTRPCRouter({
  /**
   * The caller's sessions, newest first, or their whole dealership's for a manager; scoping is
   * done by `listSessionsForViewer`, so a trainee's trainee filter can only narrow to themselves.
   */
  list: tenantProcedure.input(ZHistoryListInput).query(({ ctx, input }) => {
    const viewer = ctx.session.user;
    // The viewer's id and role are in the key with the dealership: a cached page is only ever
    // served to the one who asked for it.
    const key = [ctx.dealershipId, viewer.id, viewer.role, superjson.stringify(input)].join('|');
    return historyPages.get(key, async () =>
      serializeOnce(
        await listSessionsForViewer({
          db: ctx.db,
          dealershipId: ctx.dealershipId,
          viewer,
          filters: input.filters,
          cursor: input.cursor,
          limit: input.limit,
        }),
      ),
    );
  }),

  /** The people of the manager's dealership, for the history's trainee filter. */
  trainees: managerProcedure.query(({ ctx }) => listTraineesForFilter({ db: ctx.db, dealershipId: ctx.dealershipId })),

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

  /** The session's recorded audio, part by part (normally one); the audio itself is fetched by the player. */
  recordings: sessionViewerProcedure.query(({ ctx }) =>
    listSessionRecordings({ db: ctx.db, sessionId: ctx.practiceSession.id, dealershipId: ctx.dealershipId }),
  ),

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
