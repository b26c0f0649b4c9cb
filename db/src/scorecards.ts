import { and, asc, eq, exists, getTableColumns, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db, Tx } from './client';
import { AppError } from './errors';
import { assertSessionOfDealership } from './sessions';
import { complianceFlags, fiStep, practiceSessions, scoreItems, scorecards, sessionTurns } from './schema';

export type TScorecard = typeof scorecards.$inferSelect;
export type TFiStep = (typeof fiStep.enumValues)[number];

/**
 * A scoring result as the agent's scorer produces it. Evidence points at turns by sequence number
 * (what the scorer sees); saving maps them to session_turns ids.
 */
export type TScorecardInput = {
  overallScore: number | null;
  tier: string | null;
  autoFailed: boolean;
  summary: string;
  items: ReadonlyArray<{
    step: TFiStep;
    score: number;
    maxScore: number;
    evidenceQuote: string | null;
    turnSequence: number | null;
    rationale: string;
  }>;
  flags: ReadonlyArray<{
    rule: string;
    severity: 'warning' | 'auto_fail';
    evidenceQuote: string;
    turnSequence: number | null;
    detectedBy: string;
    explanation: string;
  }>;
};

type TScope = { sessionId: string; dealershipId: string };

/** Marks a session as "being scored". Idempotent: an existing scorecard (of any status) is kept. */
export async function createPendingScorecard(opts: TScope & { db: Db }): Promise<TScorecard> {
  await assertSessionOfDealership(opts.db, opts);
  await opts.db
    .insert(scorecards)
    .values({ sessionId: opts.sessionId, dealershipId: opts.dealershipId })
    .onConflictDoNothing({ target: scorecards.sessionId });
  const [row] = await opts.db.select().from(scorecards).where(eq(scorecards.sessionId, opts.sessionId));
  if (!row) throw new AppError('INTERNAL', { message: 'scorecard missing after insert' });
  return row;
}

/**
 * Writes the whole result in one transaction: the scorecard row (one per session, upserted), then
 * its items and flags replaced, so re-scoring never duplicates and a crash never leaves half a card.
 */
export async function saveScorecard(opts: TScope & { db: Db; result: TScorecardInput }): Promise<TScorecard> {
  const { result } = opts;
  return opts.db.transaction(async (tx) => {
    await assertSessionOfDealership(tx, opts);
    const turns = await tx
      .select({ id: sessionTurns.id, sequence: sessionTurns.sequence })
      .from(sessionTurns)
      .where(and(eq(sessionTurns.sessionId, opts.sessionId), eq(sessionTurns.dealershipId, opts.dealershipId)));
    const turnId = (sequence: number | null) => turns.find((t) => t.sequence === sequence)?.id ?? null;
    const values = {
      status: 'complete' as const,
      overallScore: result.overallScore,
      tier: result.tier,
      summary: result.summary,
      autoFailed: result.autoFailed,
      error: null,
    };
    const [card] = await tx
      .insert(scorecards)
      .values({ sessionId: opts.sessionId, dealershipId: opts.dealershipId, ...values })
      .onConflictDoUpdate({ target: scorecards.sessionId, set: values })
      .returning();
    if (!card) throw new AppError('INTERNAL', { message: 'upsert returned no scorecard row' });
    await clearDetails(tx, card.id);
    if (result.items.length > 0) {
      await tx.insert(scoreItems).values(
        result.items.map((i) => ({
          scorecardId: card.id,
          step: i.step,
          score: Math.round(i.score),
          maxScore: i.maxScore,
          evidenceQuote: i.evidenceQuote,
          turnId: turnId(i.turnSequence),
          rationale: i.rationale,
        })),
      );
    }
    if (result.flags.length > 0) {
      await tx.insert(complianceFlags).values(
        result.flags.map((f) => ({
          scorecardId: card.id,
          rule: f.rule,
          severity: f.severity,
          evidenceQuote: f.evidenceQuote,
          turnId: turnId(f.turnSequence),
          detectedBy: f.detectedBy,
          explanation: f.explanation,
        })),
      );
    }
    return card;
  });
}

/** Records why scoring failed. Any earlier result is cleared: a failed card shows no stale scores. */
export async function markScorecardFailed(opts: TScope & { db: Db; error: string }): Promise<TScorecard> {
  return opts.db.transaction(async (tx) => {
    await assertSessionOfDealership(tx, opts);
    const values = { status: 'failed' as const, error: opts.error.slice(0, 2000), overallScore: null, tier: null, summary: null, autoFailed: false };
    const [card] = await tx
      .insert(scorecards)
      .values({ sessionId: opts.sessionId, dealershipId: opts.dealershipId, ...values })
      .onConflictDoUpdate({ target: scorecards.sessionId, set: values })
      .returning();
    if (!card) throw new AppError('INTERNAL', { message: 'upsert returned no scorecard row' });
    await clearDetails(tx, card.id);
    return card;
  });
}

async function clearDetails(tx: Tx, scorecardId: string) {
  await tx.delete(scoreItems).where(eq(scoreItems.scorecardId, scorecardId));
  await tx.delete(complianceFlags).where(eq(complianceFlags.scorecardId, scorecardId));
}

/** The session's scorecard with items (in process order) and flags, or null — never another tenant's. */
export async function getScorecard(opts: TScope & { db: Db }) {
  const [card] = await opts.db
    .select()
    .from(scorecards)
    .where(and(eq(scorecards.sessionId, opts.sessionId), eq(scorecards.dealershipId, opts.dealershipId)))
    .limit(1);
  if (!card) return null;
  const items = await opts.db
    .select({ ...getTableColumns(scoreItems), turnSequence: sessionTurns.sequence })
    .from(scoreItems)
    .leftJoin(sessionTurns, eq(sessionTurns.id, scoreItems.turnId))
    .where(eq(scoreItems.scorecardId, card.id))
    .orderBy(asc(scoreItems.step)); // enum order = the F&I process order
  const flags = await opts.db
    .select({ ...getTableColumns(complianceFlags), turnSequence: sessionTurns.sequence })
    .from(complianceFlags)
    .leftJoin(sessionTurns, eq(sessionTurns.id, complianceFlags.turnId))
    .where(eq(complianceFlags.scorecardId, card.id))
    .orderBy(asc(sessionTurns.sequence), asc(complianceFlags.rule));
  return { ...card, items, flags };
}

export type TScorecardWithDetails = NonNullable<Awaited<ReturnType<typeof getScorecard>>>;

/** A pending scorecard older than this was being scored by a process that died. */
export const STALE_SCORING_MS = 120_000;

/**
 * Finished sessions (ended or failed) in which the trainee spoke, with no scorecard yet or one left
 * pending by a scorer that died: the work queue of the scoring job, oldest first.
 */
export async function listSessionsAwaitingScorecard(opts: { db: Db; now?: Date; limit?: number }): Promise<TScope[]> {
  const staleBefore = new Date((opts.now ?? new Date()).getTime() - STALE_SCORING_MS);
  const traineeSpoke = opts.db
    .select({ one: sql`1` })
    .from(sessionTurns)
    .where(and(eq(sessionTurns.sessionId, practiceSessions.id), eq(sessionTurns.speaker, 'trainee')));
  return opts.db
    .select({ sessionId: practiceSessions.id, dealershipId: practiceSessions.dealershipId })
    .from(practiceSessions)
    .leftJoin(scorecards, eq(scorecards.sessionId, practiceSessions.id))
    .where(
      and(
        inArray(practiceSessions.status, ['ended', 'failed']),
        exists(traineeSpoke),
        or(isNull(scorecards.id), and(eq(scorecards.status, 'pending'), lt(scorecards.createdAt, staleBefore))),
      ),
    )
    .orderBy(asc(practiceSessions.endedAt))
    .limit(opts.limit ?? 10);
}
