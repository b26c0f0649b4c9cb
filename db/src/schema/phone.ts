import { relations, sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns';
import { dealerships } from './dealerships';
import { phoneCallOutcome } from './enums';
import { practiceSessions } from './practice-sessions';
import { scenarios } from './scenarios';
import { users } from './users';

/**
 * A dealership's practice phone number and the LiveKit SIP objects provisioned for it: an inbound
 * trunk for the number and a dispatch rule that puts every caller in their own room with the agent.
 */
export const phoneLines = pgTable('phone_lines', {
  id: id(),
  dealershipId: uuid()
    .notNull()
    .unique()
    .references(() => dealerships.id, { onDelete: 'cascade' }),
  /** E.164, e.g. +13125550100. One number belongs to one dealership. */
  phoneNumber: text().notNull().unique(),
  sipTrunkId: text(),
  sipDispatchRuleId: text(),
  /** What a call starts when the trainee has no open assignment; null = the coach. */
  defaultScenarioId: uuid().references(() => scenarios.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * A trainee's phone PIN. Only an HMAC of the PIN (keyed with the server secret and the dealership)
 * is kept, so a PIN can be looked up in one query but not recovered from the table.
 */
export const phonePins = pgTable(
  'phone_pins',
  {
    userId: uuid()
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    dealershipId: uuid()
      .notNull()
      .references(() => dealerships.id, { onDelete: 'cascade' }),
    pinDigest: text().notNull(),
    /** Optional E.164 caller ID that identifies the trainee together with the PIN. */
    callerId: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('phone_pins_pin_key').on(t.dealershipId, t.pinDigest),
    uniqueIndex('phone_pins_caller_key')
      .on(t.dealershipId, t.callerId)
      .where(sql`${t.callerId} is not null`),
  ],
);

/** Every call that reached the agent, identified or not, with how it ended. */
export const phoneCalls = pgTable(
  'phone_calls',
  {
    id: id(),
    /** Null when the dialled number belongs to no dealership. */
    dealershipId: uuid().references(() => dealerships.id, { onDelete: 'cascade' }),
    roomName: text().notNull().unique(),
    callerNumber: text(),
    calledNumber: text(),
    traineeId: uuid().references(() => users.id, { onDelete: 'set null' }),
    sessionId: uuid().references(() => practiceSessions.id, { onDelete: 'set null' }),
    pinAttempts: integer().notNull().default(0),
    outcome: phoneCallOutcome().notNull().default('in_progress'),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('phone_calls_dealership_idx').on(t.dealershipId, t.startedAt)],
);

export const phoneLinesRelations = relations(phoneLines, ({ one }) => ({
  dealership: one(dealerships, { fields: [phoneLines.dealershipId], references: [dealerships.id] }),
  defaultScenario: one(scenarios, {
    fields: [phoneLines.defaultScenarioId],
    references: [scenarios.id],
  }),
}));
