import { relations } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { assignments } from './assignments';
import { createdAt, id } from './columns';
import { dealerships } from './dealerships';
import { practiceMode, sessionChannel, sessionStatus, speaker } from './enums';
import { scenarios } from './scenarios';
import { users } from './users';

/** One practice conversation = one LiveKit room. */
export const practiceSessions = pgTable(
  'practice_sessions',
  {
    id: id(),
    dealershipId: uuid()
      .notNull()
      .references(() => dealerships.id, { onDelete: 'cascade' }),
    traineeId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    scenarioId: uuid()
      .notNull()
      .references(() => scenarios.id, { onDelete: 'restrict' }),
    /** Set when the session was started from an assignment. */
    assignmentId: uuid().references((): AnyPgColumn => assignments.id, { onDelete: 'set null' }),
    roomName: text().notNull().unique(),
    mode: practiceMode().notNull(),
    channel: sessionChannel().notNull().default('web'),
    status: sessionStatus().notNull().default('pending'),
    /** Set when the agent starts speaking to the trainee. */
    liveAt: timestamp({ withTimezone: true }),
    endedAt: timestamp({ withTimezone: true }),
    /**
     * Refreshed by the agent while it holds the session; a pending or live session whose heartbeat
     * stops is failed by the reaper (`failAbandonedSessions`), with its turns kept.
     */
    heartbeatAt: timestamp({ withTimezone: true }),
    /** Why the session ended: trainee_left, agent_shutdown, room_create_failed, timeout, ... */
    endReason: text(),
    createdAt: createdAt(),
  },
  (t) => [
    index('practice_sessions_dealership_idx').on(t.dealershipId, t.createdAt),
    index('practice_sessions_trainee_idx').on(t.traineeId, t.createdAt),
    index('practice_sessions_status_idx').on(t.status),
  ],
);

export type TCitation = { documentId: string; chunkId: string; title: string; heading?: string };

/** A committed turn, written as it happens so a crash loses nothing already said. */
export const sessionTurns = pgTable(
  'session_turns',
  {
    id: id(),
    sessionId: uuid()
      .notNull()
      .references(() => practiceSessions.id, { onDelete: 'cascade' }),
    dealershipId: uuid()
      .notNull()
      .references(() => dealerships.id, { onDelete: 'cascade' }),
    sequence: integer().notNull(),
    speaker: speaker().notNull(),
    /** What was actually heard: an interrupted agent turn stores only the part played out. */
    text: text().notNull(),
    interrupted: boolean().notNull().default(false),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    endedAt: timestamp({ withTimezone: true }),
    citations: jsonb().$type<TCitation[]>().notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [unique('session_turns_sequence_key').on(t.sessionId, t.sequence)],
);

/** Per-turn latency breakdown (milliseconds), for the voice pipeline's speed. */
export const turnMetrics = pgTable(
  'turn_metrics',
  {
    id: id(),
    sessionId: uuid()
      .notNull()
      .references(() => practiceSessions.id, { onDelete: 'cascade' }),
    dealershipId: uuid()
      .notNull()
      .references(() => dealerships.id, { onDelete: 'cascade' }),
    turnId: uuid().references(() => sessionTurns.id, { onDelete: 'set null' }),
    speechId: text(),
    endOfUtteranceDelayMs: real(),
    transcriptionDelayMs: real(),
    llmTtftMs: real(),
    ttsTtfbMs: real(),
    voiceToVoiceMs: real(),
    createdAt: createdAt(),
  },
  (t) => [index('turn_metrics_session_idx').on(t.sessionId)],
);

export const practiceSessionsRelations = relations(practiceSessions, ({ one, many }) => ({
  dealership: one(dealerships, {
    fields: [practiceSessions.dealershipId],
    references: [dealerships.id],
  }),
  trainee: one(users, { fields: [practiceSessions.traineeId], references: [users.id] }),
  scenario: one(scenarios, { fields: [practiceSessions.scenarioId], references: [scenarios.id] }),
  turns: many(sessionTurns),
  metrics: many(turnMetrics),
}));

export const sessionTurnsRelations = relations(sessionTurns, ({ one }) => ({
  session: one(practiceSessions, {
    fields: [sessionTurns.sessionId],
    references: [practiceSessions.id],
  }),
}));

export const turnMetricsRelations = relations(turnMetrics, ({ one }) => ({
  session: one(practiceSessions, {
    fields: [turnMetrics.sessionId],
    references: [practiceSessions.id],
  }),
  turn: one(sessionTurns, { fields: [turnMetrics.turnId], references: [sessionTurns.id] }),
}));
