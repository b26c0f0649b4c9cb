import path from 'node:path';
import { type FeatureExtractionPipeline, env as transformersEnv, pipeline } from '@huggingface/transformers';
import { resolveModel } from '../models';
import { EMBEDDING_DIMENSIONS, type EmbeddingProvider, type TEmbeddingsChoice } from './embeddings';

import { MINILM_MODEL_ID } from './model-ids';

export { MINILM_MODEL_ID };

/**
 * all-MiniLM-L6-v2 (ONNX) through transformers.js on onnxruntime-node — the same onnxruntime
 * version the Silero VAD plugin loads (two versions in one process crash it). Offline only:
 * it reads `<modelDir>/onnx/model.onnx`, tokenizer.json and config.json and never downloads.
 */
export class LocalMiniLmEmbeddings implements EmbeddingProvider {
  readonly id = MINILM_MODEL_ID;
  readonly dimensions = EMBEDDING_DIMENSIONS;

  private constructor(
    private readonly extractor: FeatureExtractionPipeline,
    private readonly batchSize: number,
  ) {}

  /** `modelDir` is the installed model folder (`<repo>/.models/all-minilm-l6-v2`). */
  static async load(opts: { modelDir: string; batchSize?: number }): Promise<LocalMiniLmEmbeddings> {
    // transformers.js reads models from `<localModelPath>/<name>/`; these settings are process-wide.
    transformersEnv.allowRemoteModels = false;
    transformersEnv.allowLocalModels = true;
    transformersEnv.localModelPath = path.dirname(path.resolve(opts.modelDir));
    const extractor = await pipeline('feature-extraction', path.basename(opts.modelDir), { dtype: 'fp32' });
    return new LocalMiniLmEmbeddings(extractor, opts.batchSize ?? 32);
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      // The tokenizer rejects an empty string; an empty text embeds as the [CLS]/[SEP]-only input.
      const batch = texts.slice(i, i + this.batchSize).map((t) => (t.trim() ? t : ' '));
      const tensor = await this.extractor(batch, { pooling: 'mean', normalize: true });
      const data = tensor.data as Float32Array;
      for (let row = 0; row < batch.length; row++) {
        out.push(data.slice(row * this.dimensions, (row + 1) * this.dimensions));
      }
      tensor.dispose();
    }
    return out;
  }
}

/**
 * The local embeddings model if installed and loadable, else `null` with the reason (and the
 * command that fixes it) — retrieval then searches full text alone and says so.
 */
export async function createLocalEmbeddings(opts: { modelsDir?: string } = {}): Promise<TEmbeddingsChoice> {
  const resolved = await resolveModel(MINILM_MODEL_ID, { dir: opts.modelsDir });
  if (resolved.status !== 'installed') {
    return { provider: null, reason: `embedding model ${MINILM_MODEL_ID} ${resolved.status}: ${resolved.reason}`, fix: resolved.fix };
  }
  try {
    return { provider: await LocalMiniLmEmbeddings.load({ modelDir: resolved.dir }) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { provider: null, reason: `embedding model ${MINILM_MODEL_ID} failed to load: ${message}`, fix: `npm run models -- pull ${MINILM_MODEL_ID}` };
  }
}
