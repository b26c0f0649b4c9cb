import OpenAI from 'openai';
import { EMBEDDING_DIMENSIONS, type EmbeddingProvider } from './embeddings';

/** OpenAI's limit is 2048 inputs per request; smaller batches keep each request short. */
const BATCH_SIZE = 256;

/**
 * Embeddings from OpenAI, or any OpenAI-compatible server by base URL (vLLM, Ollama, llama.cpp
 * server). v3 models shorten to the stored 384 dimensions natively (`dimensions`); other servers
 * must serve a 384-dimensional model, which is checked on every response. The official client
 * does the timeouts and retries with backoff.
 */
export class OpenAIEmbeddings implements EmbeddingProvider {
  readonly id: string;
  readonly dimensions = EMBEDDING_DIMENSIONS;
  readonly #client: OpenAI;
  readonly #model: string;

  constructor(opts: { apiKey?: string; baseURL?: string; model: string; timeoutMs?: number; maxRetries?: number; client?: OpenAI }) {
    this.#model = opts.model;
    this.id = opts.baseURL ? `openai-compatible:${opts.model}` : `openai:${opts.model}`;
    this.#client =
      opts.client ??
      new OpenAI({
        // Compatible servers often need no key; the client insists on one.
        apiKey: opts.apiKey ?? 'not-needed',
        baseURL: opts.baseURL,
        timeout: opts.timeoutMs ?? 10_000,
        maxRetries: opts.maxRetries ?? 2,
      });
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += BATCH_SIZE) {
      const input = texts.slice(i, i + BATCH_SIZE).map((t) => (t.trim() ? t : ' '));
      const response = await this.#client.embeddings.create({
        model: this.#model,
        input,
        ...(this.#model.startsWith('text-embedding-3') ? { dimensions: EMBEDDING_DIMENSIONS } : {}),
        encoding_format: 'float',
      });
      const rows = [...response.data].sort((a, b) => a.index - b.index);
      if (rows.length !== input.length) {
        throw new Error(`embeddings server returned ${rows.length} vectors for ${input.length} inputs`);
      }
      for (const row of rows) {
        if (row.embedding.length !== EMBEDDING_DIMENSIONS) {
          throw new Error(
            `embedding model ${this.#model} returned ${row.embedding.length} dimensions; the database stores ${EMBEDDING_DIMENSIONS}`,
          );
        }
        out.push(normalize(Float32Array.from(row.embedding)));
      }
    }
    return out;
  }
}

/** Cosine search assumes unit vectors; compatible servers do not all return them. */
function normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum);
  if (norm === 0) return v;
  for (let i = 0; i < v.length; i++) v[i] = v[i]! / norm;
  return v;
}
