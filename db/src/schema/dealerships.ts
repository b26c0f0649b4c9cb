import { relations } from 'drizzle-orm';
import { pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns';
import { dealershipStatus } from './enums';
import { users } from './users';

/** A tenant. Every row of tenant data carries its dealership's id. */
export const dealerships = pgTable('dealerships', {
  id: id(),
  name: text().notNull(),
  slug: text().notNull().unique(),
  status: dealershipStatus().notNull().default('active'),
  timezone: text().notNull().default('America/Chicago'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const dealershipsRelations = relations(dealerships, ({ many }) => ({
  users: many(users),
}));
