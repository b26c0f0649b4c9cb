import { relations } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import type { TDealJacket } from '../domain/deal-jacket';
import type { TPatience, TPersona } from '../domain/persona';
import { createdAt, id, updatedAt } from './columns';
import { dealerships } from './dealerships';
import { difficulty, practiceMode } from './enums';
import { users } from './users';

export const scenarios = pgTable(
  'scenarios',
  {
    id: id(),
    /** Null for platform-wide scenarios that every dealership can use. */
    dealershipId: uuid().references(() => dealerships.id, { onDelete: 'cascade' }),
    title: text().notNull(),
    summary: text().notNull().default(''),
    mode: practiceMode().notNull(),
    persona: jsonb().$type<TPersona>().notNull(),
    /** Required for role-plays, null for coach sessions. Validated with ZDealJacket on write. */
    dealJacket: jsonb().$type<TDealJacket>(),
    objections: jsonb().$type<string[]>().notNull().default([]),
    difficulty: difficulty().notNull().default('medium'),
    patience: jsonb().$type<TPatience>().notNull(),
    isActive: boolean().notNull().default(true),
    createdById: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('scenarios_dealership_idx').on(t.dealershipId)],
);

export const scenariosRelations = relations(scenarios, ({ one }) => ({
  dealership: one(dealerships, { fields: [scenarios.dealershipId], references: [dealerships.id] }),
  createdBy: one(users, { fields: [scenarios.createdById], references: [users.id] }),
}));
