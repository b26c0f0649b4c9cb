import { index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { dealerships } from './dealerships';
import { users } from './users';

/** Append-only record of sign-ins and admin actions. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: id(),
    dealershipId: uuid().references(() => dealerships.id, { onDelete: 'set null' }),
    actorId: uuid().references(() => users.id, { onDelete: 'set null' }),
    /** Dotted verb, e.g. auth.sign_in, auth.sign_in_failed, session.start, user.invite. */
    action: text().notNull(),
    targetType: text(),
    targetId: text(),
    meta: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    ip: text(),
    createdAt: createdAt(),
  },
  (t) => [
    index('audit_log_dealership_idx').on(t.dealershipId, t.createdAt),
    index('audit_log_actor_idx').on(t.actorId),
  ],
);
