import type { TIngestedChunk } from '@avatar-adam/db';
import type { EmbeddingProvider } from '../providers/embeddings';
import type { TPassage } from './extract';

const BATCH_SIZE = 32;

export type TEmbedOutcome = { chunks: TIngestedChunk[]; embedded: number; error?: unknown };

/**
 * Embeds passages in batches, calling `afterBatch` between them (the job keeps its claim alive
 * there). Without a provider, or when it fails, the remaining passages are stored without vectors:
 * full-text search finds them at once and the coach embeds them later (backfillChunkEmbeddings).
 * A failed embedding service must not make a good file look broken.
 */
export async function embedPassages(opts: {
  passages: readonly TPassage[];
  embeddings: EmbeddingProvider | null;
  afterBatch?: () => Promise<void>;
  batchSize?: number;
}): Promise<TEmbedOutcome> {
  const { passages, embeddings } = opts;
  const batchSize = opts.batchSize ?? BATCH_SIZE;
  const vectors: Array<number[] | null> = passages.map(() => null);
  let embedded = 0;
  let error: unknown;
  if (embeddings) {
    for (let i = 0; i < passages.length && error === undefined; i += batchSize) {
      const batch = passages.slice(i, i + batchSize);
      try {
        const out = await embeddings.embed(batch.map(textToEmbed));
        if (out.length !== batch.length || out.some((v) => v.length !== embeddings.dimensions)) {
          throw new Error(`embedding model ${embeddings.id} returned ${out.length} vectors of the wrong shape for ${batch.length} passages`);
        }
        out.forEach((v, j) => (vectors[i + j] = Array.from(v)));
        embedded += batch.length;
      } catch (caught) {
        error = caught;
      }
      await opts.afterBatch?.();
    }
  }
  const chunks = passages.map((p, i) => ({
    ...p,
    embedding: vectors[i] ?? null,
    embeddingModel: vectors[i] && embeddings ? embeddings.id : null,
  }));
  return { chunks, embedded, error };
}

/** Heading + text, exactly as `backfillChunkEmbeddings` embeds a chunk, so both give the same vector. */
export function textToEmbed(passage: { heading: string | null; text: string }): string {
  return passage.heading ? `${passage.heading}\n\n${passage.text}` : passage.text;
}
