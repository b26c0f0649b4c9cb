import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './client';
import { AppError } from './errors';
import { assertSessionOfDealership } from './sessions';
import { type TCitation, sessionTurns, turnMetrics } from './schema';

export type TSessionTurn = typeof sessionTurns.$inferSelect;

/** Per-turn latencies in milliseconds; a stage the turn did not go through stays undefined. */
export type TTurnLatency = {
  endOfUtteranceDelayMs?: number;
  transcriptionDelayMs?: number;
  llmTtftMs?: number;
  ttsTtfbMs?: number;
  voiceToVoiceMs?: number;
};

/**
 * Stores one committed turn of a session of `dealershipId`. The session must belong to that
 * dealership: a turn can never be attached to another tenant's conversation.
 */
export async function appendSessionTurn(opts: {
  db: Db;
  sessionId: string;
  dealershipId: string;
  sequence: number;
  speaker: 'trainee' | 'agent';
  text: string;
  interrupted?: boolean;
  startedAt: Date;
  endedAt?: Date;
  citations?: TCitation[];
}): Promise<TSessionTurn> {
  if (!Number.isInteger(opts.sequence) || opts.sequence < 1) {
    throw new AppError('BAD_REQUEST', { message: `turn sequence must be a positive integer, got ${opts.sequence}` });
  }
  await assertSessionOfDealership(opts.db, opts);
  const [row] = await opts.db
    .insert(sessionTurns)
    .values({
      sessionId: opts.sessionId,
      dealershipId: opts.dealershipId,
      sequence: opts.sequence,
      speaker: opts.speaker,
      text: opts.text,
      interrupted: opts.interrupted ?? false,
      startedAt: opts.startedAt,
      endedAt: opts.endedAt,
      citations: opts.citations ?? [],
    })
    .returning();
  if (!row) throw new AppError('INTERNAL', { message: 'insert returned no turn row' });
  return row;
}

/** Stores the latency breakdown of one agent reply, linked to the turn it produced. */
export async function recordTurnMetrics(opts: {
  db: Db;
  sessionId: string;
  dealershipId: string;
  turnId?: string;
  speechId?: string;
  latency: TTurnLatency;
}): Promise<void> {
  for (const [key, value] of Object.entries(opts.latency)) {
    if (value !== undefined && (!Number.isFinite(value) || value < 0)) {
      throw new AppError('BAD_REQUEST', { message: `${key} must be a non-negative number of milliseconds, got ${value}` });
    }
  }
  await assertSessionOfDealership(opts.db, opts);
  await opts.db.insert(turnMetrics).values({
    sessionId: opts.sessionId,
    dealershipId: opts.dealershipId,
    turnId: opts.turnId,
    speechId: opts.speechId,
    ...opts.latency,
  });
}

/** The session's turns in the order they were spoken; empty for another dealership's session. */
export async function listSessionTurns(opts: { db: Db; sessionId: string; dealershipId: string }): Promise<TSessionTurn[]> {
  return opts.db
    .select()
    .from(sessionTurns)
    .where(and(eq(sessionTurns.sessionId, opts.sessionId), eq(sessionTurns.dealershipId, opts.dealershipId)))
    .orderBy(asc(sessionTurns.sequence));
}
