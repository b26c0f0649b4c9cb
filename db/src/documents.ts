import { createHash } from 'node:crypto';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { recordAudit } from './audit';
import type { Db } from './client';
import { inspectDocumentFile } from './document-files';
import { AppError } from './errors';
import { enqueueIngestDocument } from './job-queue';
import { dealerships, documentChunks, documentFiles, documents, users } from './schema';

/*
 * A dealership's knowledge base as managers see it: upload, list, delete, re-index. The indexing
 * itself (claim → extract → chunk → embed → complete/fail) is in document-ingestion.ts.
 */

export type TDocumentStatus = (typeof documents.$inferSelect)['status'];

export type TDocumentRow = {
  id: string;
  title: string;
  filename: string;
  mime: string;
  sizeBytes: number;
  status: TDocumentStatus;
  error: string | null;
  chunkCount: number;
  indexedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  uploadedByName: string | null;
  /** False for documents added without their file (the seeded starter kit): they cannot be re-indexed. */
  hasFile: boolean;
};

const MAX_TITLE_CHARS = 200;

const documentColumns = {
  id: documents.id,
  title: documents.title,
  filename: documents.filename,
  mime: documents.mime,
  sizeBytes: documents.sizeBytes,
  status: documents.status,
  error: documents.error,
  // Counted, not read from documents.chunk_count: documents seeded with their passages (the
  // starter kit) never went through ingestion, which is what keeps that column.
  chunkCount: sql<number>`(select count(*)::int from ${documentChunks} where ${documentChunks.documentId} = ${documents.id})`,
  indexedAt: documents.indexedAt,
  createdAt: documents.createdAt,
  updatedAt: documents.updatedAt,
  uploadedByName: users.name,
  hasFile: sql<boolean>`exists (select 1 from ${documentFiles} where ${documentFiles.documentId} = ${documents.id})`,
};

/**
 * Stores an upload and queues it for indexing: the document row, its bytes, its `ingest-document`
 * job and the audit entry, all or nothing. Refuses (BAD_REQUEST, nothing stored) an empty, oversized, unsupported or
 * mislabelled file, and (CONFLICT) a file this dealership already has.
 */
export async function createDocument(opts: {
  db: Db;
  dealershipId: string;
  uploadedById: string;
  filename: string;
  bytes: Uint8Array;
  title?: string;
}): Promise<TDocumentRow> {
  // A name to show, never a path: separators and control characters are replaced.
  const filename = opts.filename.replace(/[\\/\u0000-\u001f\u007f]/g, '_').trim().slice(0, 255) || 'document';
  const { mime } = inspectDocumentFile({ filename, bytes: opts.bytes });
  const title = (opts.title?.trim() || filename.replace(/\.[^.]+$/, '').replace(/[_-]+/g, ' ').trim() || filename).slice(0, MAX_TITLE_CHARS);
  const content = Buffer.from(opts.bytes);
  const sha256 = createHash('sha256').update(content).digest('hex');

  const id = await opts.db.transaction(async (tx) => {
    // One upload at a time per dealership, so two simultaneous uploads of one file cannot both
    // pass the duplicate check (there is no unique index on (dealership, sha256)).
    await tx.select({ id: dealerships.id }).from(dealerships).where(eq(dealerships.id, opts.dealershipId)).for('update');
    const [duplicate] = await tx
      .select({ title: documents.title })
      .from(documents)
      .where(and(eq(documents.dealershipId, opts.dealershipId), eq(documents.sha256, sha256)))
      .limit(1);
    if (duplicate) {
      throw new AppError('CONFLICT', {
        message: `duplicate upload of ${sha256}`,
        userMessage: `This file is already in your knowledge base as “${duplicate.title}”.`,
      });
    }
    const [row] = await tx
      .insert(documents)
      .values({ dealershipId: opts.dealershipId, title, filename, mime, sizeBytes: content.length, sha256, status: 'queued', uploadedById: opts.uploadedById })
      .returning({ id: documents.id });
    await tx.insert(documentFiles).values({ documentId: row!.id, dealershipId: opts.dealershipId, content });
    // Same transaction: the document is queued exactly when its ingestion job exists.
    await enqueueIngestDocument({ db: tx, documentId: row!.id, dealershipId: opts.dealershipId });
    await recordAudit({
      db: tx,
      action: 'document.uploaded',
      actorId: opts.uploadedById,
      dealershipId: opts.dealershipId,
      targetType: 'document',
      targetId: row!.id,
      meta: { filename, mime, sizeBytes: content.length, sha256 },
    });
    return row!.id;
  });
  return getDocument({ db: opts.db, dealershipId: opts.dealershipId, documentId: id });
}

/** The dealership's documents, newest first (no file contents). */
export async function listDocuments(opts: { db: Db; dealershipId: string }): Promise<TDocumentRow[]> {
  return opts.db
    .select(documentColumns)
    .from(documents)
    .leftJoin(users, eq(users.id, documents.uploadedById))
    .where(eq(documents.dealershipId, opts.dealershipId))
    .orderBy(desc(documents.createdAt), desc(documents.id));
}

/** One document of the dealership; NOT_FOUND for another dealership's (ids cannot be probed). */
export async function getDocument(opts: { db: Db; dealershipId: string; documentId: string }): Promise<TDocumentRow> {
  const [row] = await opts.db
    .select(documentColumns)
    .from(documents)
    .leftJoin(users, eq(users.id, documents.uploadedById))
    .where(and(eq(documents.id, opts.documentId), eq(documents.dealershipId, opts.dealershipId)));
  if (!row) throw documentNotFound(opts.documentId, opts.dealershipId);
  return row;
}

/** Removes the document, its file and its passages (foreign-key cascade), audited. */
export async function deleteDocument(opts: { db: Db; dealershipId: string; documentId: string; actorId: string }): Promise<void> {
  await opts.db.transaction(async (tx) => {
    const [deleted] = await tx
      .delete(documents)
      .where(and(eq(documents.id, opts.documentId), eq(documents.dealershipId, opts.dealershipId)))
      .returning({ id: documents.id, title: documents.title, filename: documents.filename, status: documents.status });
    if (!deleted) throw documentNotFound(opts.documentId, opts.dealershipId);
    await recordAudit({
      db: tx,
      action: 'document.deleted',
      actorId: opts.actorId,
      dealershipId: opts.dealershipId,
      targetType: 'document',
      targetId: deleted.id,
      meta: { title: deleted.title, filename: deleted.filename, status: deleted.status },
    });
  });
}

/**
 * Queues a document to be indexed again from its stored file (after a failure, or to pick up a
 * better extractor). Its current passages keep answering until the new index replaces them in one
 * transaction. CONFLICT while it is being indexed, or when there is no stored file to read.
 */
export async function requestReindex(opts: { db: Db; dealershipId: string; documentId: string; actorId: string }): Promise<TDocumentRow> {
  const current = await getDocument(opts);
  if (!current.hasFile) {
    throw new AppError('CONFLICT', {
      message: `document ${opts.documentId} has no stored file`,
      userMessage: 'This document was added without its original file (it came with the starter kit), so it cannot be re-indexed. Upload the file to replace it.',
    });
  }
  await opts.db.transaction(async (tx) => {
    const [queued] = await tx
      .update(documents)
      .set({ status: 'queued', error: null })
      .where(and(eq(documents.id, opts.documentId), eq(documents.dealershipId, opts.dealershipId), inArray(documents.status, ['ready', 'failed'])))
      .returning({ id: documents.id });
    if (!queued) {
      throw new AppError('CONFLICT', {
        message: `document ${opts.documentId} is ${current.status}`,
        userMessage: 'This document is already waiting to be indexed or being indexed. Its status updates by itself.',
      });
    }
    await enqueueIngestDocument({ db: tx, documentId: opts.documentId, dealershipId: opts.dealershipId });
    await recordAudit({
      db: tx,
      action: 'document.reindex_requested',
      actorId: opts.actorId,
      dealershipId: opts.dealershipId,
      targetType: 'document',
      targetId: opts.documentId,
      meta: { previousStatus: current.status },
    });
  });
  return getDocument(opts);
}

function documentNotFound(documentId: string, dealershipId: string): AppError {
  return new AppError('NOT_FOUND', {
    message: `document ${documentId} not found for dealership ${dealershipId}`,
    userMessage: 'That document does not exist (it may have been deleted).',
  });
}
