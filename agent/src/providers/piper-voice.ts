import { createRequire } from 'node:module';
import { DEBIAN_ESPEAK_DATA_DIR } from './model-ids';

/**
 * Loading a Piper voice with sherpa-onnx, in a module without agents-js: the worker's shared voice
 * process (voice-server/) imports only this, and starts in a fraction of the time.
 */
export type TPiperFiles = {
  /** Piper voice ONNX with sherpa-onnx metadata added. */
  model: string;
  /** `tokens.txt` built from the voice's phoneme map. */
  tokens: string;
  /** espeak-ng data folder (must contain `phontab`). */
  espeakDataDir?: string;
};

export type TGeneratedAudio = { samples: Float32Array; sampleRate: number };
export type TSherpaTts = {
  sampleRate: number;
  generateAsync(req: {
    text: string;
    sid: number;
    speed: number;
    onProgress?: (info: { samples: Float32Array; progress: number }) => number | boolean;
  }): Promise<TGeneratedAudio>;
};
type TSherpa = { OfflineTts: { createAsync(config: unknown): Promise<TSherpaTts> } };

/** Loaded voices, shared by every session of the process (a voice costs ~250 MB and 1–2 s to load). */
const loadedVoices = new Map<string, Promise<TSherpaTts>>();

export function loadPiperVoice(files: TPiperFiles, numThreads: number): Promise<TSherpaTts> {
  const key = JSON.stringify([files.model, files.tokens, files.espeakDataDir, numThreads]);
  let voice = loadedVoices.get(key);
  if (!voice) {
    const sherpa = createRequire(import.meta.url)('sherpa-onnx-node') as TSherpa;
    voice = sherpa.OfflineTts.createAsync({
      model: {
        vits: { model: files.model, tokens: files.tokens, dataDir: files.espeakDataDir ?? DEBIAN_ESPEAK_DATA_DIR },
        numThreads,
        provider: 'cpu',
      },
      maxNumSentences: 1,
    }).then(async (loaded) => {
      // The first run allocates onnxruntime's buffers; pay that at prewarm, not on the first reply.
      await loaded.generateAsync({ text: 'Okay.', sid: 0, speed: 1 });
      return loaded;
    });
    // A failed load must not poison the cache for the next attempt.
    voice.catch(() => loadedVoices.delete(key));
    loadedVoices.set(key, voice);
  }
  return voice;
}
