import { relations } from 'drizzle-orm';
import { index, integer, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns';
import { dealerships } from './dealerships';
import { scenarios } from './scenarios';
import { users } from './users';

/**
 * A manager asks a trainee to practise a scenario by a date and reach a score. Status (not started,
 * in progress, passed, overdue) is derived from the trainee's scored sessions of that scenario,
 * so it can never disagree with the history.
 */
export const assignments = pgTable(
  'assignments',
  {
    id: id(),
    dealershipId: uuid()
      .notNull()
      .references(() => dealerships.id, { onDelete: 'cascade' }),
    scenarioId: uuid()
      .notNull()
      .references(() => scenarios.id, { onDelete: 'cascade' }),
    traineeId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    assignedById: uuid().references(() => users.id, { onDelete: 'set null' }),
    dueAt: timestamp({ withTimezone: true }).notNull(),
    /** Overall score (0–100) a scored session must reach to pass. */
    passMark: integer().notNull().default(80),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('assignments_dealership_idx').on(t.dealershipId, t.dueAt),
    index('assignments_trainee_idx').on(t.traineeId, t.dueAt),
  ],
);

export const assignmentsRelations = relations(assignments, ({ one }) => ({
  dealership: one(dealerships, { fields: [assignments.dealershipId], references: [dealerships.id] }),
  scenario: one(scenarios, { fields: [assignments.scenarioId], references: [scenarios.id] }),
  trainee: one(users, { fields: [assignments.traineeId], references: [users.id] }),
  assignedBy: one(users, { fields: [assignments.assignedById], references: [users.id] }),
}));
