import { count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from './client';
import { documentChunks, documents, scorecards } from './schema';
import { listSessionsAwaitingScorecard } from './scorecards';

/** Past this, the health page says "1000 or more": counting further would only cost time. */
export const AWAITING_SCORECARD_COUNT_CAP = 1000;

export type TQueueDepth = {
  documentsQueued: number;
  documentsProcessing: number;
  /** Finished sessions nobody has scored yet (or whose scorer died), as the maintenance pass sees them. */
  sessionsAwaitingScorecard: number;
  /** True when the count above stopped at the cap. */
  sessionsAwaitingScorecardCapped: boolean;
  /** Scorecards being written right now. */
  scorecardsPending: number;
};

/** Work waiting across all dealerships: documents to ingest, sessions to score. For the operator. */
export async function getQueueDepth(opts: { db: Db; now?: Date }): Promise<TQueueDepth> {
  const [docRows, awaiting, [pending]] = await Promise.all([
    opts.db
      .select({ status: documents.status, n: count() })
      .from(documents)
      .where(inArray(documents.status, ['queued', 'processing']))
      .groupBy(documents.status),
    // The same rule the maintenance pass picks work with, so the page and the worker agree.
    listSessionsAwaitingScorecard({ db: opts.db, now: opts.now, limit: AWAITING_SCORECARD_COUNT_CAP }),
    opts.db.select({ n: count() }).from(scorecards).where(eq(scorecards.status, 'pending')),
  ]);
  const docs = (status: 'queued' | 'processing') => docRows.find((r) => r.status === status)?.n ?? 0;
  return {
    documentsQueued: docs('queued'),
    documentsProcessing: docs('processing'),
    sessionsAwaitingScorecard: awaiting.length,
    sessionsAwaitingScorecardCapped: awaiting.length >= AWAITING_SCORECARD_COUNT_CAP,
    scorecardsPending: pending?.n ?? 0,
  };
}

export type TEmbeddingModelUse = { model: string | null; chunks: number };

/**
 * Which embedding models the stored passages were indexed with (null: not embedded, full-text
 * only). This is what retrieval actually uses, whatever the agent's settings say now.
 */
export async function listEmbeddingModelsInUse(opts: { db: Db }): Promise<TEmbeddingModelUse[]> {
  return opts.db
    .select({ model: documentChunks.embeddingModel, chunks: count() })
    .from(documentChunks)
    .groupBy(documentChunks.embeddingModel)
    .orderBy(desc(count()), sql`${documentChunks.embeddingModel} nulls last`);
}

/** Round trip to the database in milliseconds; throws when it is unreachable. */
export async function pingDatabase(opts: { db: Db }): Promise<number> {
  const started = performance.now();
  await opts.db.execute(sql`select 1`);
  return Math.round((performance.now() - started) * 10) / 10;
}
