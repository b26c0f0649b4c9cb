import { type VAD, llm, log, stt, tts } from '@livekit/agents';
import { pullCommand } from '../models';
import { EMBEDDING_DIMENSIONS, type EmbeddingProvider } from './embeddings';
import type { LocalMiniLmEmbeddings } from './embeddings-local';
import type { LlamaLLM, loadLlamaModel } from './llm-llama';
import { MINILM_MODEL_ID, PIPER_MODEL_ID, SMOLLM2_MODEL_ID, WHISPER_MODEL_ID } from './model-ids';
import type { TResolvedProviders } from './plan';
import { SpeculativeStreamAdapter } from './speculative-stt';
import { PocketsphinxSTT } from './stt-pocketsphinx';
import { WhisperSTT } from './stt-whisper';
import { FliteTTS, type TFliteVoice, isFliteVoice } from './tts-flite';
import { PiperTTS } from './tts-piper';
import { SHARED_VOICE_SOCKET_ENV } from '../voice-server/socket-env';
import type { TCapability } from '../metrics/events';
import { processMetricSink } from '../metrics/reporter';
import { recordProviderAvailable, recordProviderError } from '../metrics/session-metrics';

export { ProviderConfigError, ZProviderConfig, type TProviderConfig, type TProviderPlan } from './config';
export { type TResolvedProviders, logProviderPlan, resolveProviders, upgradeHints } from './plan';
export type { EmbeddingProvider } from './embeddings';

const BUILT_IN_DEFAULT_VOICE: TFliteVoice = 'slt';

/**
 * Maps a persona's voice hint onto a flite voice. Hints name voices directly for now; anything
 * else gets the configured default, so a scenario written for another engine still talks.
 */
export function resolveVoice(hint: string, fallback?: string): TFliteVoice {
  const wanted = hint.trim().toLowerCase();
  if (isFliteVoice(wanted)) return wanted;
  const configured = fallback?.trim().toLowerCase();
  return configured && isFliteVoice(configured) ? configured : BUILT_IN_DEFAULT_VOICE;
}

/**
 * Engines a job process holds for every session it runs: loaded once (from `prewarm`, so a
 * dispatch waits for none of it) and shared, since a job process runs one session at a time.
 */
export type TProcessEngines = {
  resolved: TResolvedProviders;
  stt: stt.STT;
  /**
   * Starts what is loaded on first use (the Whisper worker) and checks that pocketsphinx decodes;
   * call when a session's greeting has played. Rejects when an engine does not start.
   */
  warmUp(): Promise<void>;
  /** TTS engines except flite, whose voice is per persona. */
  tts: Map<string, tts.TTS>;
  /**
   * Loads the local voices (Piper: ~0.7 s of CPU, ~115 MB), once per process; a session calls it
   * at once when its greeting must be synthesised, or while a recorded greeting plays. Until then
   * a synthesis waits for the load. Rejects when a voice does not load.
   */
  loadVoices(): Promise<void>;
  /**
   * Loads (once per process) llama.cpp and the local model's weights. Started by a session once
   * its greeting plays (or by its first turn), not by prewarm: the first reply is needed seconds
   * later, and an idle job process then does not hold ~160 MB of weights and llama.cpp.
   */
  llamaWeights?: () => ReturnType<typeof loadLlamaModel>;
  llamaModule?: typeof import('./llm-llama');
  embeddings: EmbeddingProvider | null;
  /** Local Whisper decodes in its full window while on (`WhisperSTT.fullWindow`): a phone PIN. */
  preferAccurateStt(on: boolean): void;
};

export async function loadProcessEngines(opts: { resolved: TResolvedProviders; vad: VAD }): Promise<TProcessEngines> {
  const { config, plan, files } = opts.resolved;
  const attemptTimeoutMs = config.PROVIDER_TIMEOUT_MS;
  const openaiBase = { apiKey: config.OPENAI_API_KEY ?? 'not-needed', baseURL: config.OPENAI_BASE_URL };

  // Local recognisers transcribe at the first pause (speculative-stt.ts): the guess costs CPU only.
  // Hosted ones are billed per request, so they wait for the end of the utterance.
  const speculating = (local: stt.STT): stt.STT =>
    config.AGENT_STT_SPECULATE_MS > 0 ? new SpeculativeStreamAdapter(local, opts.vad, { speculateAfterMs: config.AGENT_STT_SPECULATE_MS }) : local;
  // Only what every session needs before it greets costs time here; the rest (the local voice,
  // the Whisper worker, pocketsphinx's check, llama.cpp) starts with `loadVoices`, `warmUp` or the
  // session's greeting.
  const recognisersLoading = Promise.all(
    plan.stt.chain.map(async ({ engine, model }): Promise<stt.STT> => {
      if (engine === 'openai') return new (await import('@livekit/agents-plugin-openai')).STT({ ...openaiBase, model, language: 'en', useRealtime: false });
      if (engine === 'whisper') {
        return WhisperSTT.create({
          ...files.whisper!,
          fix: pullCommand(WHISPER_MODEL_ID),
          windowSeconds: config.AGENT_STT_WHISPER_WINDOW_S,
          requestTimeoutMs: attemptTimeoutMs,
          deferStart: true,
        });
      }
      if (engine === 'pocketsphinx') return PocketsphinxSTT.create({ requestTimeoutMs: attemptTimeoutMs, verify: 'later' });
      throw new Error(`STT engine ${engine} is not implemented`);
    }),
  );
  const ttsLoading = openVoices(opts.resolved);
  const usesLlama = plan.llm.chain.some((c) => c.engine === 'llama');
  // Only the module: llama.cpp's bindings load with the weights (llm-llama.ts).
  const llamaLoading = usesLlama ? import('./llm-llama') : undefined;
  // All settled before anything is thrown: a failed engine leaves no load running behind it.
  await Promise.allSettled([recognisersLoading, ttsLoading, llamaLoading]);
  const [recognisers, ttsEntries, llamaModule] = await Promise.all([recognisersLoading, ttsLoading, llamaLoading]);
  const sttInstances = recognisers.map((r) => (r instanceof WhisperSTT || r instanceof PocketsphinxSTT ? speculating(r) : r));

  const llamaWeights = llamaModule
    ? () => llamaModule.loadLlamaModel({ modelId: SMOLLM2_MODEL_ID, modelPath: files.llama!.modelPath })
    : undefined;
  const embeddings = await createEmbeddingProvider(opts.resolved);

  plan.stt.chain.forEach(({ engine }, i) => countErrors('stt', engine, sttInstances[i]!));
  for (const [engine, instance] of ttsEntries) countErrors('tts', engine, instance);
  const stt0 = sttInstances[0]!;
  return {
    resolved: opts.resolved,
    warmUp: async () => {
      await Promise.all(recognisers.map((s) => (s instanceof WhisperSTT ? s.warmUp() : s instanceof PocketsphinxSTT ? s.verify() : undefined)));
    },
    stt:
      sttInstances.length === 1
        ? stt0
        : watchAvailability(
            'STT',
            new stt.FallbackAdapter({ sttInstances, vad: opts.vad, attemptTimeoutMs, maxRetryPerSTT: 1, retryIntervalMs: 500 }),
            sttInstances.map((instance, i) => [instance, plan.stt.chain[i]!.engine]),
          ),
    tts: new Map(ttsEntries),
    loadVoices: async () => {
      await Promise.all(ttsEntries.map(([, instance]) => (instance instanceof PiperTTS ? instance.load() : undefined)));
    },
    llamaModule,
    llamaWeights,
    embeddings,
    preferAccurateStt: (on) => {
      for (const r of recognisers) if (r instanceof WhisperSTT) r.fullWindow = on;
    },
  };
}

/**
 * The process's TTS engines of the plan except flite (whose voice is per persona). A local voice
 * is opened, not loaded: `PiperTTS.load` (or its first synthesis) loads it.
 */
export async function openVoices({ config, plan, files }: TResolvedProviders): Promise<Array<[string, tts.TTS]>> {
  const openaiBase = { apiKey: config.OPENAI_API_KEY ?? 'not-needed', baseURL: config.OPENAI_BASE_URL };
  return Promise.all(
    plan.tts.chain
      .filter((c) => c.engine !== 'flite')
      .map(async ({ engine, model }): Promise<[string, tts.TTS]> => {
        if (engine === 'elevenlabs') {
          const voiceId = config.ELEVENLABS_VOICE_ID;
          return [engine, new (await import('@livekit/agents-plugin-elevenlabs')).TTS({ apiKey: config.ELEVENLABS_API_KEY, model, ...(voiceId ? { voiceId } : {}) })];
        }
        if (engine === 'openai') return [engine, new (await import('@livekit/agents-plugin-openai')).TTS({ ...openaiBase, model, voice: config.OPENAI_TTS_VOICE })];
        if (engine === 'piper') {
          // In a job process of a worker with the shared voice (main.ts), synthesis happens there.
          const sharedVoiceSocket = process.env[SHARED_VOICE_SOCKET_ENV] || undefined;
          return [engine, PiperTTS.open({ ...files.piper!, fix: pullCommand(PIPER_MODEL_ID), sharedVoiceSocket })];
        }
        throw new Error(`TTS engine ${engine} is not implemented`);
      }),
  );
}

/**
 * A persona's voice: the plan's TTS chain with flite speaking in the persona's voice, behind a
 * fallback adapter when the chain has more than one engine. Used by sessions and by the job that
 * synthesises greetings ahead of time, so both speak the same voice.
 */
export async function personaVoice(
  resolved: TResolvedProviders,
  voices: Map<string, tts.TTS>,
  opts: { voiceHint: string; fallbackVoice?: string },
): Promise<tts.TTS> {
  const { plan } = resolved;
  const ttsInstances = await Promise.all(
    plan.tts.chain.map(async ({ engine }) =>
      engine === 'flite'
        ? countErrors('tts', engine, await FliteTTS.shared(resolveVoice(opts.voiceHint, opts.fallbackVoice)))
        : voices.get(engine)!,
    ),
  );
  if (ttsInstances.length === 1) return ttsInstances[0]!;
  const named = ttsInstances.map((x, i): [tts.TTS, string] => [x, plan.tts.chain[i]!.engine]);
  return watchAvailability('TTS', new tts.FallbackAdapter({ ttsInstances, maxRetryPerTTS: 1 }), named);
}

async function createEmbeddingProvider({ config, plan, files }: TResolvedProviders): Promise<EmbeddingProvider | null> {
  const choice = plan.embeddings.chain[0];
  if (!choice) return null;
  if (choice.engine === 'openai') {
    const { OpenAIEmbeddings } = await import('./embeddings-openai');
    return new OpenAIEmbeddings({
      apiKey: config.OPENAI_API_KEY,
      baseURL: config.OPENAI_BASE_URL,
      model: choice.model,
      timeoutMs: config.PROVIDER_TIMEOUT_MS,
    });
  }
  // Loaded on first use: only coach retrieval embeds, and an idle job process should not hold it.
  const modelDir = files.minilm!.modelDir;
  let loading: Promise<LocalMiniLmEmbeddings> | undefined;
  return {
    id: MINILM_MODEL_ID,
    dimensions: EMBEDDING_DIMENSIONS,
    embed: async (texts) => {
      loading ??= import('./embeddings-local').then(({ LocalMiniLmEmbeddings }) => LocalMiniLmEmbeddings.load({ modelDir })).catch((error: unknown) => {
        loading = undefined;
        throw error;
      });
      return (await loading).embed(texts);
    },
  };
}

/** A session's engines: the process's shared ones plus its own LLM (and KV cache) and voice. */
export type TSessionEngines = {
  stt: stt.STT;
  llm: llm.LLM;
  tts: tts.TTS;
  /** The local model, when it is in the chain: its system prompt can be evaluated ahead of time. */
  llama?: LlamaLLM;
  describe: { stt: string; llm: string; tts: string };
};

export async function createSessionEngines(
  engines: TProcessEngines,
  opts: { voiceHint: string; fallbackVoice?: string },
): Promise<TSessionEngines> {
  const { config, plan } = engines.resolved;
  const attemptTimeout = config.PROVIDER_TIMEOUT_MS / 1000;

  let llama: LlamaLLM | undefined;
  const llms = await Promise.all(
    plan.llm.chain.map(async ({ engine, model }): Promise<llm.LLM> => {
      if (engine === 'openai') {
        return new (await import('@livekit/agents-plugin-openai')).LLM({
          apiKey: config.OPENAI_API_KEY ?? 'not-needed',
          baseURL: config.OPENAI_BASE_URL,
          model,
          temperature: 0.7,
        });
      }
      llama = new engines.llamaModule!.LlamaLLM(
        { modelId: SMOLLM2_MODEL_ID, load: engines.llamaWeights! },
        { threads: config.LOCAL_LLM_THREADS },
      );
      return llama;
    }),
  );

  const voice = await personaVoice(engines.resolved, engines.tts, opts);
  const voiceChain = voice instanceof tts.FallbackAdapter ? voice.ttsInstances : [voice];
  plan.llm.chain.forEach(({ engine }, i) => countErrors('llm', engine, llms[i]!));
  const named = <T>(instances: T[], chain: { engine: string }[]) => instances.map((x, i): [T, string] => [x, chain[i]!.engine]);

  return {
    stt: engines.stt,
    llm:
      llms.length === 1
        ? llms[0]!
        : watchAvailability(
            'LLM',
            new llm.FallbackAdapter({ llms, attemptTimeout, maxRetryPerLLM: 1, retryInterval: 0.5 }),
            named(llms, plan.llm.chain),
          ),
    tts: voice,
    llama,
    describe: {
      stt: plan.stt.chain.map((c) => c.engine).join('→'),
      llm: plan.llm.chain.map((c) => c.engine).join('→'),
      tts: voiceChain.map((t) => `${t.provider}:${t.model}`).join('→'),
    },
  };
}

/**
 * The fallback adapters are the circuit breakers: a failed engine is skipped (open) while a
 * background probe retries it, and it is used again once the probe succeeds (closed). Each change
 * is logged, so an operator sees when a session runs on its failover engine, and becomes the
 * `avatar_adam_provider_available{capability,provider}` gauge (every engine of the chain starts at 1).
 */
function watchAvailability<T extends stt.STT | llm.LLM | tts.TTS>(
  capability: 'STT' | 'LLM' | 'TTS',
  adapter: T,
  engines: [instance: unknown, engine: string][],
): T {
  const metric = capability.toLowerCase() as TCapability;
  const sink = processMetricSink();
  for (const [, engine] of engines) recordProviderAvailable(sink, metric, engine, true);
  const event = `${metric}_availability_changed`;
  (adapter as unknown as NodeJS.EventEmitter).on(event, (ev: Record<string, unknown> & { available: boolean }) => {
    // LLMs name themselves with label(), STT and TTS engines with a label field.
    const engine = (ev.llm ?? ev.stt ?? ev.tts) as { label: string | (() => string) } | undefined;
    const name = typeof engine?.label === 'function' ? engine.label() : (engine?.label ?? 'engine');
    const planned = engines.find(([instance]) => instance === engine)?.[1];
    if (planned) recordProviderAvailable(sink, metric, planned, ev.available);
    if (ev.available) log().info({ capability, engine: name }, `${capability}: ${name} is available again`);
    else log().warn({ capability, engine: name }, `${capability}: ${name} failed; using the next engine until it recovers`);
  });
  return adapter;
}

/**
 * Every failed attempt of an engine (each retry too) counts in `avatar_adam_provider_errors_total`;
 * the engine's own `error` event fires whether or not a fallback adapter then hides the failure.
 */
function countErrors<T extends stt.STT | llm.LLM | tts.TTS>(capability: TCapability, engine: string, instance: T): T {
  const sink = processMetricSink();
  (instance as unknown as NodeJS.EventEmitter).on('error', () => recordProviderError(sink, capability, engine));
  return instance;
}
