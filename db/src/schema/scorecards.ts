import { relations } from 'drizzle-orm';
import { boolean, index, integer, pgTable, real, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { dealerships } from './dealerships';
import { complianceSeverity, fiStep, scorecardStatus } from './enums';
import { practiceSessions, sessionTurns } from './practice-sessions';

/** The result of scoring one role-play (or a summary for a coach session). */
export const scorecards = pgTable('scorecards', {
  id: id(),
  sessionId: uuid()
    .notNull()
    .unique()
    .references(() => practiceSessions.id, { onDelete: 'cascade' }),
  dealershipId: uuid()
    .notNull()
    .references(() => dealerships.id, { onDelete: 'cascade' }),
  status: scorecardStatus().notNull().default('pending'),
  /** 0–100; null until scored. */
  overallScore: real(),
  tier: text(),
  summary: text(),
  /** True when any compliance rule auto-fails the session, whatever the step scores. */
  autoFailed: boolean().notNull().default(false),
  error: text(),
  createdAt: createdAt(),
});

/** One score per F&I process step, backed by the quote that earned it. */
export const scoreItems = pgTable(
  'score_items',
  {
    id: id(),
    scorecardId: uuid()
      .notNull()
      .references(() => scorecards.id, { onDelete: 'cascade' }),
    step: fiStep().notNull(),
    score: integer().notNull(),
    maxScore: integer().notNull(),
    evidenceQuote: text(),
    turnId: uuid().references(() => sessionTurns.id, { onDelete: 'set null' }),
    rationale: text().notNull().default(''),
  },
  (t) => [index('score_items_scorecard_idx').on(t.scorecardId)],
);

export const complianceFlags = pgTable(
  'compliance_flags',
  {
    id: id(),
    scorecardId: uuid()
      .notNull()
      .references(() => scorecards.id, { onDelete: 'cascade' }),
    /** Rule identifier, e.g. payment_without_apr_term, product_required, approval_tied. */
    rule: text().notNull(),
    severity: complianceSeverity().notNull(),
    evidenceQuote: text().notNull(),
    turnId: uuid().references(() => sessionTurns.id, { onDelete: 'set null' }),
    /** Which detector found it: a deterministic rule or the LLM judge. */
    detectedBy: text().notNull(),
    explanation: text().notNull().default(''),
  },
  (t) => [index('compliance_flags_scorecard_idx').on(t.scorecardId)],
);

export const scorecardsRelations = relations(scorecards, ({ one, many }) => ({
  session: one(practiceSessions, {
    fields: [scorecards.sessionId],
    references: [practiceSessions.id],
  }),
  items: many(scoreItems),
  flags: many(complianceFlags),
}));

export const scoreItemsRelations = relations(scoreItems, ({ one }) => ({
  scorecard: one(scorecards, { fields: [scoreItems.scorecardId], references: [scorecards.id] }),
  turn: one(sessionTurns, { fields: [scoreItems.turnId], references: [sessionTurns.id] }),
}));

export const complianceFlagsRelations = relations(complianceFlags, ({ one }) => ({
  scorecard: one(scorecards, {
    fields: [complianceFlags.scorecardId],
    references: [scorecards.id],
  }),
  turn: one(sessionTurns, { fields: [complianceFlags.turnId], references: [sessionTurns.id] }),
}));
