import { relations, sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns';
import { dealerships } from './dealerships';
import { userRole, userStatus } from './enums';

export const users = pgTable(
  'users',
  {
    id: id(),
    /** Null only for super admins, who belong to the platform rather than a dealership. */
    dealershipId: uuid().references(() => dealerships.id, { onDelete: 'restrict' }),
    /** Stored lower-cased; the unique index makes sign-in lookups case-insensitive. */
    email: text().notNull(),
    name: text().notNull(),
    passwordHash: text().notNull(),
    role: userRole().notNull().default('trainee'),
    status: userStatus().notNull().default('active'),
    lastSignInAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('users_email_key').on(sql`lower(${t.email})`),
    index('users_dealership_idx').on(t.dealershipId),
  ],
);

export const invitations = pgTable(
  'invitations',
  {
    id: id(),
    dealershipId: uuid()
      .notNull()
      .references(() => dealerships.id, { onDelete: 'cascade' }),
    email: text().notNull(),
    role: userRole().notNull().default('trainee'),
    /** SHA-256 of the token sent by email; the token itself is never stored. */
    tokenHash: text().notNull().unique(),
    invitedById: uuid().references(() => users.id, { onDelete: 'set null' }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    acceptedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('invitations_dealership_idx').on(t.dealershipId)],
);

/** One "forgot password" request. Like invitations, only the SHA-256 of the emailed token is kept. */
export const passwordResets = pgTable(
  'password_resets',
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text().notNull().unique(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    /** Set when the token is redeemed, or when another reset for the same user is redeemed first. */
    usedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('password_resets_user_idx').on(t.userId)],
);

export const usersRelations = relations(users, ({ one, many }) => ({
  dealership: one(dealerships, { fields: [users.dealershipId], references: [dealerships.id] }),
  passwordResets: many(passwordResets),
}));

export const passwordResetsRelations = relations(passwordResets, ({ one }) => ({
  user: one(users, { fields: [passwordResets.userId], references: [users.id] }),
}));

export const invitationsRelations = relations(invitations, ({ one }) => ({
  dealership: one(dealerships, { fields: [invitations.dealershipId], references: [dealerships.id] }),
  invitedBy: one(users, { fields: [invitations.invitedById], references: [users.id] }),
}));
