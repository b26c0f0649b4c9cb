import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './client';
import { documentChunks, documents, practiceSessions, scenarios, sessionTurns, turnMetrics, users } from './schema';
import type { TPracticeSession } from './sessions';
import type { TTurnLatency } from './turns';
import type { TAuthUser } from './users';

export type TSessionViewer = Pick<TAuthUser, 'id' | 'role'>;
export type TSessionView = TPracticeSession & { scenarioTitle: string; personaName: string; traineeName: string };

/**
 * A session of `dealershipId` as `viewer` may see it: a dealership admin sees every session of the
 * dealership, anyone else only their own. Null otherwise, so callers can answer "not found" and
 * never reveal that someone else's session exists.
 */
export async function getSessionForViewer(opts: {
  db: Db;
  sessionId: string;
  dealershipId: string;
  viewer: TSessionViewer;
}): Promise<TSessionView | null> {
  const seesWholeDealership = opts.viewer.role === 'dealership_admin';
  const [row] = await opts.db
    .select({
      session: practiceSessions,
      scenarioTitle: scenarios.title,
      persona: scenarios.persona,
      traineeName: users.name,
    })
    .from(practiceSessions)
    .innerJoin(scenarios, eq(scenarios.id, practiceSessions.scenarioId))
    .innerJoin(users, eq(users.id, practiceSessions.traineeId))
    .where(
      and(
        eq(practiceSessions.id, opts.sessionId),
        eq(practiceSessions.dealershipId, opts.dealershipId),
        seesWholeDealership ? undefined : eq(practiceSessions.traineeId, opts.viewer.id),
      ),
    )
    .limit(1);
  if (!row) return null;
  return { ...row.session, scenarioTitle: row.scenarioTitle, personaName: row.persona.name, traineeName: row.traineeName };
}

/** Latencies as stored: a stage the reply did not go through is null. */
export type TStoredTurnLatency = { [K in keyof TTurnLatency]-?: number | null };

export type TTranscriptTurn = {
  id: string;
  sequence: number;
  speaker: 'trainee' | 'agent';
  text: string;
  interrupted: boolean;
  citations: (typeof sessionTurns.$inferSelect)['citations'];
  startedAt: Date;
  endedAt: Date | null;
  /** The reply's latency breakdown; null for trainee turns and replies nothing was measured for. */
  latency: TStoredTurnLatency | null;
};

/** The session's turns in spoken order, each with its latency; empty for another dealership's session. */
export async function getSessionTranscript(opts: {
  db: Db;
  sessionId: string;
  dealershipId: string;
}): Promise<TTranscriptTurn[]> {
  const rows = await opts.db
    .select({
      turn: sessionTurns,
      metricsId: turnMetrics.id,
      endOfUtteranceDelayMs: turnMetrics.endOfUtteranceDelayMs,
      transcriptionDelayMs: turnMetrics.transcriptionDelayMs,
      llmTtftMs: turnMetrics.llmTtftMs,
      ttsTtfbMs: turnMetrics.ttsTtfbMs,
      voiceToVoiceMs: turnMetrics.voiceToVoiceMs,
    })
    .from(sessionTurns)
    .leftJoin(turnMetrics, eq(turnMetrics.turnId, sessionTurns.id))
    .where(and(eq(sessionTurns.sessionId, opts.sessionId), eq(sessionTurns.dealershipId, opts.dealershipId)))
    .orderBy(asc(sessionTurns.sequence), asc(turnMetrics.createdAt));
  const turns = new Map<string, TTranscriptTurn>();
  for (const { turn, metricsId, ...latency } of rows) {
    // One metrics row per reply; should a retried write have stored two, the first one stands.
    if (turns.has(turn.id)) continue;
    turns.set(turn.id, {
      id: turn.id,
      sequence: turn.sequence,
      speaker: turn.speaker,
      text: turn.text,
      interrupted: turn.interrupted,
      citations: turn.citations,
      startedAt: turn.startedAt,
      endedAt: turn.endedAt,
      latency: metricsId ? latency : null,
    });
  }
  return [...turns.values()];
}

export type TCitedPassage = {
  chunkId: string;
  documentId: string;
  title: string;
  heading: string | null;
  page: number | null;
  text: string;
};

/** A knowledge-base passage of `dealershipId`, as Adam cited it; null for any other tenant's chunk. */
export async function getCitedPassage(opts: { db: Db; chunkId: string; dealershipId: string }): Promise<TCitedPassage | null> {
  const [row] = await opts.db
    .select({
      chunkId: documentChunks.id,
      documentId: documents.id,
      title: documents.title,
      heading: documentChunks.heading,
      page: documentChunks.page,
      text: documentChunks.text,
    })
    .from(documentChunks)
    .innerJoin(documents, eq(documents.id, documentChunks.documentId))
    .where(
      and(
        eq(documentChunks.id, opts.chunkId),
        eq(documentChunks.dealershipId, opts.dealershipId),
        eq(documents.dealershipId, opts.dealershipId),
      ),
    )
    .limit(1);
  return row ?? null;
}
