import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, ne, or, sql } from 'drizzle-orm';
import type { Db } from './client';
import { AppError } from './errors';
import { rowsOf } from './rows';
import { documentChunks, documents, EMBEDDING_DIMENSIONS } from './schema';

/**
 * Knowledge retrieval for the coach: hybrid search over one dealership's `ready` documents.
 *
 * Why hybrid: trainees ask out loud, in their own words ("do they have to buy the warranty to get
 * the loan?"), which an embedding matches by meaning even when no word is shared; but F&I is full
 * of exact terms of art and acronyms ("GAP", "VSC", "TILA", "OFAC", a product name or a price)
 * that embeddings blur and full-text matches precisely. Neither leg alone is good enough, so each
 * ranks its own candidates and Reciprocal Rank Fusion merges the two rankings: RRF uses ranks, not
 * scores, so a `ts_rank_cd` and a cosine distance never need to be put on one scale. Without an
 * embedding model, full-text alone still answers.
 *
 * Tenant scoping: every query filters on the chunk's dealership_id AND the document's, and only
 * documents whose status is `ready` are searched (a half-ingested or failed upload is never cited).
 */

export type TKnowledgeHit = {
  chunkId: string;
  documentId: string;
  /** The document's title, for citing "Title › Heading". */
  title: string;
  heading: string | null;
  page: number | null;
  text: string;
  /** Reciprocal Rank Fusion score: only meaningful for ordering hits of one search. */
  score: number;
  /** Which legs found this chunk. */
  matchedBy: TRetrievalLeg[];
};

export type TRetrievalLeg = 'vector' | 'text';

/**
 * Cosine distance beyond which a chunk is not considered related (similarity below 0.3): sentence
 * embedding models put unrelated English sentences around 0–0.2 similarity.
 */
export const MAX_VECTOR_DISTANCE = 0.7;
/** Candidates each leg contributes to the fusion. */
const CANDIDATES_PER_LEG = 20;
const MAX_LIMIT = 50;
/** The standard RRF constant (Cormack et al., 2009): damps the weight of the very top ranks. */
export const RRF_K = 60;
/** Longer input is cut: a spoken question never needs more, and it bounds the tsquery's size. */
const MAX_QUERY_CHARS = 2000;
const MAX_QUERY_LEXEMES = 64;

/**
 * Reciprocal Rank Fusion: each list is a ranking of ids, best first; an id scores
 * Σ 1 / (k + rank) over the lists it appears in (rank starting at 1). Returns every id once, best
 * first; ties are broken by the best single rank, then by id, so the order is deterministic.
 * A duplicate id within one list counts only at its first (best) position.
 */
export function fuseRankings<TLeg extends string>(opts: {
  rankings: Partial<Record<TLeg, readonly string[]>>;
  k?: number;
}): Array<{ id: string; score: number; matchedBy: TLeg[] }> {
  const k = opts.k ?? RRF_K;
  if (!Number.isFinite(k) || k < 0) throw new RangeError(`RRF k must be a non-negative number, got ${k}`);
  const fused = new Map<string, { id: string; score: number; matchedBy: TLeg[]; bestRank: number }>();
  for (const [leg, ids] of Object.entries(opts.rankings) as Array<[TLeg, readonly string[] | undefined]>) {
    if (!ids) continue;
    const seen = new Set<string>();
    let rank = 0;
    for (const id of ids) {
      if (seen.has(id)) continue;
      seen.add(id);
      rank++;
      const entry = fused.get(id) ?? { id, score: 0, matchedBy: [], bestRank: Infinity };
      entry.score += 1 / (k + rank);
      entry.matchedBy.push(leg);
      entry.bestRank = Math.min(entry.bestRank, rank);
      fused.set(id, entry);
    }
  }
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || a.bestRank - b.bestRank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map(({ id, score, matchedBy }) => ({ id, score, matchedBy }));
}

/**
 * The `limit` passages of the dealership's ready documents that best answer `query`.
 * `queryEmbedding` (the query embedded with the same model as the chunks) turns on the vector leg;
 * without it, or when no chunk is embedded yet, this is full-text search alone.
 */
export async function searchKnowledge(opts: {
  db: Db;
  dealershipId: string;
  query: string;
  queryEmbedding?: readonly number[] | null;
  /**
   * The model that embedded the query: only chunks embedded by the same model are compared (two
   * models' vectors share a column during a re-embedding, and cross-model distances mean nothing).
   */
  embeddingModel?: string;
  /** Vector candidates farther than this cosine distance are dropped (default MAX_VECTOR_DISTANCE). */
  maxVectorDistance?: number;
  limit?: number;
}): Promise<TKnowledgeHit[]> {
  const { db, dealershipId } = opts;
  const limit = opts.limit ?? 4;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new AppError('BAD_REQUEST', { message: `limit must be an integer from 1 to ${MAX_LIMIT}, got ${limit}` });
  }
  const embedding = opts.queryEmbedding && opts.queryEmbedding.length > 0 ? opts.queryEmbedding : null;
  if (embedding) assertEmbedding(embedding, 'BAD_REQUEST', 'The query embedding');

  const words = toSearchWords(opts.query);
  if (!words) return [];
  const candidates = Math.max(CANDIDATES_PER_LEG, limit);

  const [textIds, vectorIds] = await Promise.all([
    searchText({ db, dealershipId, words, candidates }),
    embedding
      ? searchVector({
          db,
          dealershipId,
          embedding,
          candidates,
          model: opts.embeddingModel,
          maxDistance: opts.maxVectorDistance ?? MAX_VECTOR_DISTANCE,
        })
      : Promise.resolve([]),
  ]);
  const fused = fuseRankings<TRetrievalLeg>({ rankings: { text: textIds, vector: vectorIds } }).slice(0, limit);
  if (fused.length === 0) return [];

  const rows = await db
    .select({
      chunkId: documentChunks.id,
      documentId: documentChunks.documentId,
      title: documents.title,
      heading: documentChunks.heading,
      page: documentChunks.page,
      text: documentChunks.text,
    })
    .from(documentChunks)
    .innerJoin(documents, eq(documents.id, documentChunks.documentId))
    .where(
      and(
        scopedToReadyDocuments(dealershipId),
        inArray(
          documentChunks.id,
          fused.map((f) => f.id),
        ),
      ),
    );
  const byId = new Map(rows.map((r) => [r.chunkId, r]));
  // A chunk deleted (or its document un-readied) between the queries is simply left out.
  return fused.flatMap((f) => {
    const row = byId.get(f.id);
    return row ? [{ ...row, score: f.score, matchedBy: f.matchedBy }] : [];
  });
}

/**
 * The filter both legs share: this dealership's chunks, of this dealership's ready documents — and
 * of documents waiting for a re-index (queued/processing with a completed earlier index): their
 * passages keep answering until the new index replaces them in one transaction.
 */
function scopedToReadyDocuments(dealershipId: string) {
  return and(
    eq(documentChunks.dealershipId, dealershipId),
    eq(documents.dealershipId, dealershipId),
    or(
      eq(documents.status, 'ready'),
      and(inArray(documents.status, ['queued', 'processing']), isNotNull(documents.indexedAt)),
    ),
  );
}

/**
 * Reduces free text to plain words (letters and digits), so that no quote, apostrophe, bracket or
 * operator character can ever reach the tsquery parser. Returns null when nothing is left.
 */
function toSearchWords(query: string): string | null {
  const words = query.slice(0, MAX_QUERY_CHARS).normalize('NFKC').match(/[\p{L}\p{N}]+/gu);
  return words && words.length > 0 ? words.join(' ') : null;
}

/**
 * Full-text leg. A spoken question is wordy ("so is GAP insurance something they have to get to be
 * approved?"): requiring every word (plainto_tsquery's AND) would match nothing, so any
 * meaningful word may match and ts_rank_cd ranks passages that match more of them, closer
 * together, higher. The words are first stemmed and stripped of stop words by to_tsvector (which,
 * unlike to_tsquery, never complains about a question made only of stop words); the stems are
 * then OR-ed. They are already English stems, so the 'simple' configuration turns them into a
 * tsquery without stemming them a second time.
 */
async function searchText(opts: { db: Db; dealershipId: string; words: string; candidates: number }): Promise<string[]> {
  const { db } = opts;
  const [row] = rowsOf<{ lexemes: string[] | string | null }>(
    await db.execute(sql`select tsvector_to_array(to_tsvector('english', ${opts.words})) as lexemes`),
  );
  const lexemes = parseTextArray(row?.lexemes)
    // Belt and braces: only plain words may be joined into tsquery syntax.
    .filter((l) => /^[\p{L}\p{N}]+$/u.test(l))
    .slice(0, MAX_QUERY_LEXEMES);
  if (lexemes.length === 0) return [];
  const tsquery = sql`to_tsquery('simple', ${lexemes.join(' | ')})`;
  // With OR, ts_rank_cd alone favours a passage repeating one word ("GAP" five times) over one
  // that matches the question's several words once each. So passages are ranked first by how
  // many distinct words of the question they contain (ts_delete removes those words from the
  // chunk's tsvector; the drop in length counts them), then by cover density, normalised by
  // length (flag 1) so long passages do not win by size alone.
  const lexemeArray = sql`${`{${lexemes.join(',')}}`}::text[]`;
  const matchedWords = sql<number>`length(${documentChunks.searchVector}) - length(ts_delete(${documentChunks.searchVector}, ${lexemeArray}))`;
  const rank = sql<number>`ts_rank_cd(${documentChunks.searchVector}, ${tsquery}, 1)`;
  const rows = await db
    .select({ id: documentChunks.id })
    .from(documentChunks)
    .innerJoin(documents, eq(documents.id, documentChunks.documentId))
    .where(
      and(
        scopedToReadyDocuments(opts.dealershipId),
        sql`${documentChunks.searchVector} @@ ${tsquery}`,
        // Sharing one word of a several-word question ("bonus", "contract") is not relevance:
        // a passage must hold a good part of the question's words to count as a text match.
        sql`${matchedWords} >= ${minimumMatchedWords(lexemes.length)}`,
      ),
    )
    .orderBy(desc(matchedWords), desc(rank), asc(documentChunks.id))
    .limit(opts.candidates);
  return rows.map((r) => r.id);
}

/** 40 % of the question's distinct words, at least 1 and at most 4 (long spoken questions ramble). */
export function minimumMatchedWords(lexemeCount: number): number {
  return Math.min(4, Math.max(1, Math.ceil(lexemeCount * 0.4)));
}

/** Vector leg: nearest chunks by cosine distance, among the embedded ones. */
async function searchVector(opts: {
  db: Db;
  dealershipId: string;
  embedding: readonly number[];
  candidates: number;
  model?: string;
  maxDistance: number;
}): Promise<string[]> {
  // Bound as one parameter in pgvector's text form ('[0.1,0.2,…]'), cast to vector: never spliced.
  const distance = sql<number>`${documentChunks.embedding} <=> ${toVectorLiteral(opts.embedding)}::vector`;
  const rows = await opts.db
    .select({ id: documentChunks.id })
    .from(documentChunks)
    .innerJoin(documents, eq(documents.id, documentChunks.documentId))
    .where(
      and(
        scopedToReadyDocuments(opts.dealershipId),
        isNotNull(documentChunks.embedding),
        opts.model ? eq(documentChunks.embeddingModel, opts.model) : undefined,
        // Nearest is not the same as related: past this distance a passage is about something else,
        // and the coach should say the materials do not cover the question.
        sql`${distance} < ${opts.maxDistance}`,
      ),
    )
    .orderBy(distance, asc(documentChunks.id))
    .limit(opts.candidates);
  return rows.map((r) => r.id);
}

/**
 * Embeds every chunk that has no embedding, or one made by another model than `model`: distances
 * between vectors of two different models are meaningless, so one column must hold one model's
 * vectors. Works in batches of `batchSize`; each batch is validated as a whole and written in one
 * transaction, so a bad response from the embedder writes nothing of that batch. Idempotent: run
 * again with the same model, it embeds nothing.
 */
export async function backfillChunkEmbeddings(opts: {
  db: Db;
  model: string;
  embed: (texts: string[]) => Promise<number[][]>;
  batchSize?: number;
  dealershipId?: string;
}): Promise<{ embedded: number }> {
  const { db, model, embed } = opts;
  const batchSize = opts.batchSize ?? 32;
  if (!model.trim()) throw new AppError('BAD_REQUEST', { message: 'The embedding model name must not be empty' });
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new AppError('BAD_REQUEST', { message: `batchSize must be a positive integer, got ${batchSize}` });
  }

  const needsEmbedding = and(
    or(isNull(documentChunks.embedding), isNull(documentChunks.embeddingModel), ne(documentChunks.embeddingModel, model)),
    opts.dealershipId ? eq(documentChunks.dealershipId, opts.dealershipId) : undefined,
  );
  let embedded = 0;
  // Keyset pagination by id: every chunk is visited at most once per run, even if a write were lost.
  let afterId: string | null = null;
  for (;;) {
    const batch: Array<{ id: string; heading: string | null; text: string }> = await db
      .select({ id: documentChunks.id, heading: documentChunks.heading, text: documentChunks.text })
      .from(documentChunks)
      .where(and(needsEmbedding, afterId ? gt(documentChunks.id, afterId) : undefined))
      .orderBy(asc(documentChunks.id))
      .limit(batchSize);
    if (batch.length === 0) break;
    afterId = batch.at(-1)!.id;

    const vectors = await embed(batch.map(textToEmbed));
    if (!Array.isArray(vectors) || vectors.length !== batch.length) {
      throw new AppError('INTERNAL', {
        message: `Embedding model "${model}" returned ${Array.isArray(vectors) ? vectors.length : 'no'} vectors for ${batch.length} texts; nothing of this batch was stored`,
        userMessage: 'The embedding service returned an unexpected response.',
      });
    }
    vectors.forEach((v, i) => assertEmbedding(v, 'INTERNAL', `Embedding model "${model}", vector ${i + 1} of the batch`));

    await db.transaction(async (tx) => {
      for (const [i, chunk] of batch.entries()) {
        await tx
          .update(documentChunks)
          .set({ embedding: vectors[i]!, embeddingModel: model })
          .where(eq(documentChunks.id, chunk.id));
      }
    });
    embedded += batch.length;
    if (batch.length < batchSize) break;
  }
  return { embedded };
}

/** What is embedded for a chunk: its heading gives a short passage its context, as in full-text. */
function textToEmbed(chunk: { heading: string | null; text: string }): string {
  return chunk.heading ? `${chunk.heading}\n\n${chunk.text}` : chunk.text;
}

function assertEmbedding(
  vector: readonly number[],
  code: 'BAD_REQUEST' | 'INTERNAL',
  what: string,
): void {
  if (!Array.isArray(vector) || vector.length !== EMBEDDING_DIMENSIONS) {
    throw new AppError(code, {
      message: `${what} has ${Array.isArray(vector) ? vector.length : 'no'} dimensions; expected ${EMBEDDING_DIMENSIONS}${code === 'INTERNAL' ? '; nothing of this batch was stored' : ''}`,
      userMessage: code === 'INTERNAL' ? 'The embedding service returned an unexpected response.' : undefined,
    });
  }
  let sumOfSquares = 0;
  for (const x of vector) {
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new AppError(code, {
        message: `${what} contains a value that is not a finite number${code === 'INTERNAL' ? '; nothing of this batch was stored' : ''}`,
        userMessage: code === 'INTERNAL' ? 'The embedding service returned an unexpected response.' : undefined,
      });
    }
    sumOfSquares += x * x;
  }
  // Cosine distance to an all-zero vector is undefined (NaN): such a vector can never be ranked.
  if (sumOfSquares === 0) {
    throw new AppError(code, {
      message: `${what} is all zeros, which has no direction to compare${code === 'INTERNAL' ? '; nothing of this batch was stored' : ''}`,
      userMessage: code === 'INTERNAL' ? 'The embedding service returned an unexpected response.' : undefined,
    });
  }
}

function toVectorLiteral(vector: readonly number[]): string {
  return `[${vector.join(',')}]`;
}

/** A text[] arrives as an array from both drivers, or as Postgres' '{a,b}' text if not parsed. */
function parseTextArray(value: string[] | string | null | undefined): string[] {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string' || value.length < 2) return [];
  const inner = value.slice(1, -1);
  return inner ? inner.split(',').map((s) => s.replace(/^"(.*)"$/, '$1')) : [];
}
