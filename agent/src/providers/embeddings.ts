/**
 * The embeddings seam: retrieval depends on this type only, so a cloud model (OpenAI
 * `text-embedding-3-*` with `dimensions: 384`) and the local MiniLM are interchangeable.
 * The dimension is fixed by the database column.
 */
export const EMBEDDING_DIMENSIONS = 384;

export type EmbeddingProvider = {
  /** Stable model id, stored next to each vector so a model change can trigger re-embedding. */
  id: string;
  dimensions: typeof EMBEDDING_DIMENSIONS;
  /** One unit-length vector per input, in input order; `[]` for `[]`. */
  embed(texts: string[]): Promise<Float32Array[]>;
};

/** `createEmbeddings()` result: a provider, or why there is none (retrieval then uses full text only). */
export type TEmbeddingsChoice =
  | { provider: EmbeddingProvider; reason?: undefined; fix?: undefined }
  | { provider: null; reason: string; fix?: string };
