import { relations, sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uuid, vector } from 'drizzle-orm/pg-core';
import { bytea, createdAt, id, tsvector, updatedAt } from './columns';
import { dealerships } from './dealerships';
import { documentStatus } from './enums';
import { users } from './users';

/**
 * 384 dimensions: what local MiniLM-class models produce, and what OpenAI's text-embedding-3
 * models return when asked for `dimensions: 384`, so cloud and local share one column.
 */
export const EMBEDDING_DIMENSIONS = 384;

/** A file in a dealership's knowledge base. */
export const documents = pgTable(
  'documents',
  {
    id: id(),
    dealershipId: uuid()
      .notNull()
      .references(() => dealerships.id, { onDelete: 'cascade' }),
    title: text().notNull(),
    filename: text().notNull(),
    mime: text().notNull(),
    sizeBytes: integer().notNull(),
    sha256: text().notNull(),
    status: documentStatus().notNull().default('queued'),
    /** Why ingestion failed, in words a manager can act on. */
    error: text(),
    uploadedById: uuid().references(() => users.id, { onDelete: 'set null' }),
    /** Passages indexed by the last successful ingestion. */
    chunkCount: integer().notNull().default(0),
    indexedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('documents_dealership_idx').on(t.dealershipId)],
);

/**
 * The uploaded file itself, kept in the database so the web app and the ingestion worker need no
 * shared disk, and a re-index always reads exactly what was uploaded.
 */
export const documentFiles = pgTable('document_files', {
  documentId: uuid()
    .primaryKey()
    .references(() => documents.id, { onDelete: 'cascade' }),
  dealershipId: uuid()
    .notNull()
    .references(() => dealerships.id, { onDelete: 'cascade' }),
  content: bytea().notNull(),
  createdAt: createdAt(),
});

/** A retrievable passage. dealership_id is repeated here so every search filters on it directly. */
export const documentChunks = pgTable(
  'document_chunks',
  {
    id: id(),
    documentId: uuid()
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    dealershipId: uuid()
      .notNull()
      .references(() => dealerships.id, { onDelete: 'cascade' }),
    ordinal: integer().notNull(),
    heading: text(),
    page: integer(),
    text: text().notNull(),
    searchVector: tsvector().generatedAlwaysAs(
      sql`to_tsvector('english', coalesce(heading, '') || ' ' || text)`,
    ),
    /** Null until embedded (or when no embedding model is configured: full-text still works). */
    embedding: vector({ dimensions: EMBEDDING_DIMENSIONS }),
    embeddingModel: text(),
    createdAt: createdAt(),
  },
  (t) => [
    index('document_chunks_dealership_idx').on(t.dealershipId),
    index('document_chunks_document_idx').on(t.documentId, t.ordinal),
    index('document_chunks_search_idx').using('gin', t.searchVector),
    index('document_chunks_embedding_idx').using('hnsw', t.embedding.op('vector_cosine_ops')),
  ],
);

export const documentsRelations = relations(documents, ({ one, many }) => ({
  dealership: one(dealerships, { fields: [documents.dealershipId], references: [dealerships.id] }),
  uploadedBy: one(users, { fields: [documents.uploadedById], references: [users.id] }),
  chunks: many(documentChunks),
}));

export const documentChunksRelations = relations(documentChunks, ({ one }) => ({
  document: one(documents, { fields: [documentChunks.documentId], references: [documents.id] }),
}));
