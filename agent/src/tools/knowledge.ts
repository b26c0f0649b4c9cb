import { type Db, type TCitation, type TKnowledgeHit, backfillChunkEmbeddings, searchKnowledge } from '@avatar-adam/db';
import type { EmbeddingProvider } from '../providers';
import { ATTR, traceStep } from '../tracing/job-trace';

/** Passages given to the coach per question: enough to answer, few enough to keep first-token latency low. */
export const PASSAGES_PER_QUESTION = 3;
/** Each passage is cut to this many characters in the prompt (every token costs time on a CPU). */
const PASSAGE_CHARS = 600;

export type TRetrieved = { hits: TKnowledgeHit[]; citations: TCitation[]; embedded: boolean };

/**
 * Finds the dealership's passages for a spoken question: hybrid (vector + full text) when an
 * embedding model is available, full text alone when it is not or fails — a coach that answers
 * from exact terms beats one that stops answering.
 */
export async function retrieveForQuestion(opts: {
  db: Db;
  dealershipId: string;
  question: string;
  embeddings: EmbeddingProvider | null;
  onEmbeddingError?: (error: unknown) => void;
}): Promise<TRetrieved> {
  // The span (under agents-js's llm_node) carries counts only, never the question.
  return traceStep('knowledge.retrieve', { [ATTR.dealershipId]: opts.dealershipId }, async (span) => {
    const retrieved = await retrieve(opts);
    span.setAttributes({ 'avatar_adam.retrieval.hits': retrieved.hits.length, 'avatar_adam.retrieval.embedded': retrieved.embedded });
    return retrieved;
  });
}

async function retrieve(opts: Parameters<typeof retrieveForQuestion>[0]): Promise<TRetrieved> {
  let queryEmbedding: number[] | null = null;
  if (opts.embeddings) {
    try {
      const [vector] = await opts.embeddings.embed([opts.question]);
      queryEmbedding = vector ? Array.from(vector) : null;
    } catch (error) {
      opts.onEmbeddingError?.(error);
    }
  }
  const hits = await searchKnowledge({
    db: opts.db,
    dealershipId: opts.dealershipId,
    query: opts.question,
    queryEmbedding,
    embeddingModel: opts.embeddings?.id,
    limit: PASSAGES_PER_QUESTION,
  });
  return { hits, citations: hits.map(citationOf), embedded: queryEmbedding !== null };
}

export function citationOf(hit: TKnowledgeHit): TCitation {
  return {
    documentId: hit.documentId,
    chunkId: hit.chunkId,
    title: hit.title,
    ...(hit.heading ? { heading: hit.heading } : {}),
  };
}

/** The passages as the coach's private context for this one reply, numbered for citing. */
export function formatPassages(hits: readonly TKnowledgeHit[]): string {
  const passages = hits.map((hit, i) => {
    const source = hit.heading ? `${hit.title} › ${hit.heading}` : hit.title;
    const text = hit.text.length > PASSAGE_CHARS ? `${hit.text.slice(0, PASSAGE_CHARS)}…` : hit.text;
    return `[${i + 1}] ${source}\n${text}`;
  });
  return [
    "Passages from the dealership's own training materials for the trainee's last question:",
    ...passages,
    'Answer only from these passages and say which document the answer comes from, by its title. If they do not answer the question, say "I don\'t have that in your materials" and do not guess.',
  ].join('\n\n');
}

/**
 * Embeds the dealership's passages that have no vector from the current model yet (new uploads,
 * the seeded starter kit, or every passage after a model change). Cheap when nothing is missing:
 * one query. Until it finishes, retrieval still answers from full text.
 */
export async function embedMissingPassages(opts: {
  db: Db;
  dealershipId: string;
  embeddings: EmbeddingProvider;
}): Promise<number> {
  const { embedded } = await backfillChunkEmbeddings({
    db: opts.db,
    dealershipId: opts.dealershipId,
    model: opts.embeddings.id,
    embed: async (texts) => (await opts.embeddings.embed(texts)).map((v) => Array.from(v)),
  });
  return embedded;
}
