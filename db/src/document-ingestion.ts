import { and, asc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { Db } from './client';
import { AppError } from './errors';
import { documentChunks, documentFiles, documents } from './schema';

/*
 * The ingestion queue is the documents table itself: `queued` rows are claimed one at a time by
 * the agent worker's ingestion process (`agent/src/jobs/ingest.ts`), which extracts, chunks and
 * embeds, then ends the claim with completeIngestion or failIngestion — each a single transaction,
 * so a document is never half-indexed. A claim is kept alive by touchIngestion; a worker that dies
 * stops touching it, and after INGESTION_STALE_MS the row is claimed again.
 */

/** A claim not touched for this long belongs to a worker that died: the document is claimed again. */
export const INGESTION_STALE_MS = 2 * 60_000;
const INSERT_BATCH = 500;

export type TClaimedDocument = {
  id: string;
  dealershipId: string;
  title: string;
  filename: string;
  mime: string;
  /** The document had a completed index before (a re-index): its old passages serve until replaced. */
  reindex: boolean;
};

export type TIngestedChunk = {
  ordinal: number;
  heading: string | null;
  page: number | null;
  text: string;
  /** Null when no embedding model is available: the passage is still found by full-text search. */
  embedding: number[] | null;
  embeddingModel: string | null;
};

function claimable(now: Date, staleAfterMs: number) {
  return or(
    eq(documents.status, 'queued'),
    and(eq(documents.status, 'processing'), lt(documents.updatedAt, new Date(now.getTime() - staleAfterMs))),
  );
}

/** Cheap check for the worker's poll loop: is there anything to claim? (Across dealerships: the worker serves all.) */
export async function hasIngestionWork(opts: { db: Db; now?: Date; staleAfterMs?: number }): Promise<boolean> {
  const [row] = await opts.db
    .select({ id: documents.id })
    .from(documents)
    .where(claimable(opts.now ?? new Date(), opts.staleAfterMs ?? INGESTION_STALE_MS))
    .limit(1);
  return Boolean(row);
}

/**
 * Atomically takes the longest-waiting queued document (or one whose claim went stale) and marks
 * it `processing`. `for update skip locked`: two workers never take the same row, and neither
 * waits for the other. Null when the queue is empty.
 */
export async function claimNextQueuedDocument(opts: { db: Db; now?: Date; staleAfterMs?: number }): Promise<TClaimedDocument | null> {
  const now = opts.now ?? new Date();
  const next = opts.db
    .select({ id: documents.id })
    .from(documents)
    .where(claimable(now, opts.staleAfterMs ?? INGESTION_STALE_MS))
    .orderBy(asc(documents.updatedAt), asc(documents.id))
    .limit(1)
    .for('update', { skipLocked: true });
  const [claimed] = await opts.db
    .update(documents)
    .set({ status: 'processing', error: null, updatedAt: now })
    .where(inArray(documents.id, next))
    .returning(claimedColumns());
  return claimed ?? null;
}

/** What an ingestion needs to know of the document it claimed (`reindex`: a ready index is replaced). */
const claimedColumns = () => ({
  id: documents.id,
  dealershipId: documents.dealershipId,
  title: documents.title,
  filename: documents.filename,
  mime: documents.mime,
  reindex: sql<boolean>`${documents.indexedAt} is not null`,
});

/**
 * Claims one given document of the dealership for its `ingest-document` job: queued, or left
 * `processing` by an attempt whose process died (the job is retried, the claim taken again).
 * `not_found` when no such document belongs to that dealership — a job naming another tenant's
 * document, or one deleted since — and `not_waiting` when it is already ready or failed.
 */
export async function claimDocumentForIngestion(opts: { db: Db; dealershipId: string; documentId: string; now?: Date }): Promise<
  { status: 'claimed'; document: TClaimedDocument } | { status: 'not_found' } | { status: 'not_waiting'; current: string }
> {
  const mine = and(eq(documents.id, opts.documentId), eq(documents.dealershipId, opts.dealershipId));
  const [claimed] = await opts.db
    .update(documents)
    .set({ status: 'processing', error: null, updatedAt: opts.now ?? new Date() })
    .where(and(mine, inArray(documents.status, ['queued', 'processing'])))
    .returning(claimedColumns());
  if (claimed) return { status: 'claimed', document: claimed };
  const [current] = await opts.db.select({ status: documents.status }).from(documents).where(mine);
  return current ? { status: 'not_waiting', current: current.status } : { status: 'not_found' };
}

/** Keeps a claim alive. False when the document was deleted meanwhile: the job should stop. */
export async function touchIngestion(opts: { db: Db; dealershipId: string; documentId: string; now?: Date }): Promise<boolean> {
  const rows = await opts.db
    .update(documents)
    .set({ updatedAt: opts.now ?? new Date() })
    .where(and(eq(documents.id, opts.documentId), eq(documents.dealershipId, opts.dealershipId), eq(documents.status, 'processing')))
    .returning({ id: documents.id });
  return rows.length > 0;
}

/** The uploaded bytes of a document of this dealership, or null if there are none. */
export async function getDocumentFile(opts: { db: Db; dealershipId: string; documentId: string }): Promise<Buffer | null> {
  const [row] = await opts.db
    .select({ content: documentFiles.content })
    .from(documentFiles)
    .where(and(eq(documentFiles.documentId, opts.documentId), eq(documentFiles.dealershipId, opts.dealershipId)));
  return row?.content ?? null;
}

/**
 * Replaces the document's passages with `chunks` and marks it ready, in ONE transaction: searches
 * see the old index or the new one, never a mix or a half. Returns false (and changes nothing)
 * when the document is no longer being processed — deleted meanwhile, or finished by another
 * worker that re-claimed it; the status check takes the row lock, so two finishers cannot both write.
 */
export async function completeIngestion(opts: {
  db: Db;
  dealershipId: string;
  documentId: string;
  chunks: readonly TIngestedChunk[];
  now?: Date;
}): Promise<boolean> {
  if (opts.chunks.length === 0) {
    throw new AppError('INTERNAL', { message: `completeIngestion of ${opts.documentId} without passages; use failIngestion` });
  }
  return opts.db.transaction(async (tx) => {
    const [current] = await tx
      .update(documents)
      .set({ status: 'ready', error: null, chunkCount: opts.chunks.length, indexedAt: opts.now ?? new Date() })
      .where(and(eq(documents.id, opts.documentId), eq(documents.dealershipId, opts.dealershipId), eq(documents.status, 'processing')))
      .returning({ id: documents.id });
    if (!current) return false;
    await tx.delete(documentChunks).where(and(eq(documentChunks.documentId, opts.documentId), eq(documentChunks.dealershipId, opts.dealershipId)));
    for (let i = 0; i < opts.chunks.length; i += INSERT_BATCH) {
      await tx
        .insert(documentChunks)
        .values(opts.chunks.slice(i, i + INSERT_BATCH).map((c) => ({ ...c, documentId: opts.documentId, dealershipId: opts.dealershipId })));
    }
    return true;
  });
}

/**
 * Marks the document failed with `reason` (shown to the manager as is). A failed document has no
 * passages: those of an earlier index are removed in the same transaction, because a failed
 * document is never searched (retrieval serves ready documents, and ones waiting for a re-index)
 * and its passage count must not claim otherwise. Re-index brings them back once the file reads.
 */
export async function failIngestion(opts: { db: Db; dealershipId: string; documentId: string; reason: string }): Promise<boolean> {
  return opts.db.transaction(async (tx) => {
    const [current] = await tx
      .update(documents)
      .set({ status: 'failed', error: opts.reason.slice(0, 1000), chunkCount: 0, indexedAt: null })
      .where(and(eq(documents.id, opts.documentId), eq(documents.dealershipId, opts.dealershipId), eq(documents.status, 'processing')))
      .returning({ id: documents.id });
    if (!current) return false;
    await tx.delete(documentChunks).where(and(eq(documentChunks.documentId, opts.documentId), eq(documentChunks.dealershipId, opts.dealershipId)));
    return true;
  });
}
