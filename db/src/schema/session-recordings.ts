import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bytea, createdAt, id } from './columns';
import { dealerships } from './dealerships';
import { practiceSessions } from './practice-sessions';

/**
 * The audio of a practice conversation: the trainee on the left channel, the agent on the right,
 * as the agent heard and played them. One row per agent job that held the session (normally one),
 * stored in the database like uploaded documents so web instances need no shared disk.
 */
export const sessionRecordings = pgTable(
  'session_recordings',
  {
    id: id(),
    sessionId: uuid()
      .notNull()
      .references(() => practiceSessions.id, { onDelete: 'cascade' }),
    dealershipId: uuid()
      .notNull()
      .references(() => dealerships.id, { onDelete: 'cascade' }),
    mime: text().notNull(),
    sizeBytes: integer().notNull(),
    durationMs: integer().notNull(),
    /** When the first recorded sample was captured: orders the parts of a session. */
    startedAt: timestamp({ withTimezone: true }).notNull(),
    content: bytea().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('session_recordings_session_idx').on(t.sessionId)],
);
