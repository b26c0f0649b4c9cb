-- pgvector must exist before any table uses the vector type. Written by hand: drizzle-kit does
-- not manage extensions.
CREATE EXTENSION IF NOT EXISTS vector;
