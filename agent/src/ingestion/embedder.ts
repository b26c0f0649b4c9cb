import type { EmbeddingProvider } from '../providers/embeddings';
import type { TResolvedProviders } from '../providers/plan';

export type TIngestionEmbedder = { provider: EmbeddingProvider | null; description: string };

/**
 * The embedding model of the provider plan — the same choice the coach queries with (vectors of
 * two models are not comparable), built here without importing the voice engines. The local model
 * is loaded on the first document, not at start. No model → passages are stored without vectors
 * and found by full-text search; `description` says so for the log.
 */
export async function createIngestionEmbedder({ config, plan, files }: TResolvedProviders): Promise<TIngestionEmbedder> {
  const choice = plan.embeddings.chain[0];
  if (!choice) {
    const why = plan.embeddings.skipped.map((s) => `${s.engine}: ${s.reason}${s.fix ? ` (fix: ${s.fix})` : ''}`).join('; ');
    return { provider: null, description: `no embedding model; documents are indexed for full-text search only${why ? ` — ${why}` : ''}` };
  }
  if (choice.engine === 'openai') {
    const { OpenAIEmbeddings } = await import('../providers/embeddings-openai');
    const provider = new OpenAIEmbeddings({
      apiKey: config.OPENAI_API_KEY,
      baseURL: config.OPENAI_BASE_URL,
      model: choice.model,
      timeoutMs: config.PROVIDER_TIMEOUT_MS,
    });
    return { provider, description: `embeddings ${provider.id}` };
  }
  const { LocalMiniLmEmbeddings, MINILM_MODEL_ID } = await import('../providers/embeddings-local');
  const modelDir = files.minilm!.modelDir;
  let loading: ReturnType<typeof LocalMiniLmEmbeddings.load> | undefined;
  const provider: EmbeddingProvider = {
    id: MINILM_MODEL_ID,
    dimensions: 384,
    embed: async (texts) => {
      loading ??= LocalMiniLmEmbeddings.load({ modelDir }).catch((error: unknown) => {
        loading = undefined;
        throw error;
      });
      return (await loading).embed(texts);
    },
  };
  return { provider, description: `embeddings ${MINILM_MODEL_ID} (local)` };
}
