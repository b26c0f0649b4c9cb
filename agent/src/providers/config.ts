import { z } from 'zod';

/**
 * Which engine serves each capability, decided once from validated config and what is installed.
 * Pure: the caller supplies what it found on disk (`TLocalProbe`), so every rule here is unit-tested.
 */

export const ENGINES = {
  stt: ['openai', 'whisper', 'pocketsphinx'],
  llm: ['openai', 'llama'],
  tts: ['elevenlabs', 'openai', 'piper', 'flite'],
  embeddings: ['openai', 'minilm'],
} as const;

export type TCapability = keyof typeof ENGINES;
export type TEngine<C extends TCapability = TCapability> = (typeof ENGINES)[C][number];
export type TLocalEngine = 'whisper' | 'pocketsphinx' | 'llama' | 'piper' | 'flite' | 'minilm';

const CLOUD: ReadonlySet<string> = new Set(['openai', 'elevenlabs']);

/** One engine in a capability's chain, with the model it will run and why it is there. */
export type TChoice = { engine: string; model: string; why: string };

export type TCapabilityPlan = {
  capability: TCapability;
  /** In order of preference; the first is used, the rest are failover (not for embeddings). */
  chain: TChoice[];
  /** Engines `auto` passed over, with the command that would add them. */
  skipped: { engine: string; reason: string; fix?: string }[];
};

export type TProviderPlan = Record<TCapability, TCapabilityPlan>;

/** What is installed locally: ok, or why not and the command that fixes it. */
export type TLocalProbe = Record<TLocalEngine, { ok: true; model: string } | { ok: false; reason: string; fix?: string }>;

const engineList = <C extends TCapability>(capability: C) =>
  z
    .string()
    .trim()
    .default('auto')
    .transform((value, ctx) => {
      const names = value
        .split(',')
        .map((n) => n.trim().toLowerCase())
        .filter(Boolean);
      if (names.length === 0 || (names.length === 1 && names[0] === 'auto')) return 'auto' as const;
      const allowed: readonly string[] = ENGINES[capability];
      const unknown = names.filter((n) => !allowed.includes(n));
      if (unknown.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown ${capability.toUpperCase()} engine "${unknown.join('", "')}"; use "auto" or a comma-separated list of: ${allowed.join(', ')}`,
        });
        return z.NEVER;
      }
      if (new Set(names).size !== names.length) {
        ctx.addIssue({ code: 'custom', message: `an engine is listed twice in "${value}"` });
        return z.NEVER;
      }
      return names as TEngine<C>[];
    });

/** The provider part of the agent's environment. */
export const ZProviderConfig = z.object({
  AGENT_STT: engineList('stt'),
  AGENT_LLM: engineList('llm'),
  AGENT_TTS: engineList('tts'),
  AGENT_EMBEDDINGS: engineList('embeddings'),
  OPENAI_API_KEY: z.string().trim().min(1).optional(),
  /** Any OpenAI-compatible server (vLLM, llama.cpp server, Ollama); its chat and embeddings are used. */
  OPENAI_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  OPENAI_LLM_MODEL: z.string().trim().min(1).default('gpt-4.1-mini'),
  OPENAI_STT_MODEL: z.string().trim().min(1).default('gpt-4o-mini-transcribe'),
  OPENAI_TTS_MODEL: z.string().trim().min(1).default('gpt-4o-mini-tts'),
  OPENAI_TTS_VOICE: z
    .enum(['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'nova', 'onyx', 'sage', 'shimmer'])
    .default('ash'),
  /** Stored vectors are 384-dimensional; OpenAI's v3 models shorten to that natively. */
  OPENAI_EMBEDDINGS_MODEL: z.string().trim().min(1).default('text-embedding-3-small'),
  ELEVENLABS_API_KEY: z.string().trim().min(1).optional(),
  ELEVENLABS_VOICE_ID: z.string().trim().min(1).optional(),
  ELEVENLABS_MODEL: z.string().trim().min(1).default('eleven_flash_v2_5'),
  /**
   * llama.cpp threads per session. 1 by default: its threads spin while waiting, and on a small
   * machine they would take the cores the speech engines need while a reply is spoken.
   */
  LOCAL_LLM_THREADS: z.coerce.number().int().min(1).max(64).default(1),
  /**
   * Silence (ms) inside an utterance after which a local recogniser already transcribes the speech
   * so far (speculative-stt.ts); below the VAD's 300 ms end-of-speech silence to have any effect.
   * 0 = off: recognise only once the VAD ends the utterance.
   */
  AGENT_STT_SPECULATE_MS: z.coerce.number().int().min(0).max(2000).default(100),
  /**
   * The audio window (seconds) local Whisper encodes an utterance in when it fits (whisper_worker.py):
   * shorter is faster; 30 = Whisper's own window, as faster-whisper runs it.
   */
  AGENT_STT_WHISPER_WINDOW_S: z.coerce.number().int().min(10).max(30).default(15),
  /** Per attempt, before failing over to the next engine. */
  PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(10_000),
});

export type TProviderConfig = z.infer<typeof ZProviderConfig>;

/**
 * Reads the provider settings from an environment; throws {@link ProviderConfigError} naming each
 * bad variable. An empty variable means unset (compose files pass `${OPENAI_API_KEY:-}` as "").
 */
export function parseProviderSettings(env: NodeJS.ProcessEnv): TProviderConfig {
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = ZProviderConfig.safeParse(set);
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new ProviderConfigError(`Invalid provider settings: ${message}`);
}

export class ProviderConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderConfigError';
  }
}

const LOCAL_WHY: Record<TLocalEngine, string> = {
  whisper: 'local Whisper via faster-whisper',
  pocketsphinx: 'local Debian pocketsphinx (last resort: low accuracy)',
  llama: 'local llama.cpp',
  piper: 'local neural voice',
  flite: 'local Debian flite (robotic; install a neural voice for better)',
  minilm: 'local sentence embeddings',
};

/** Builds the plan, or throws {@link ProviderConfigError} naming the setting to change. */
export function planProviders(config: TProviderConfig, probe: TLocalProbe): TProviderPlan {
  return {
    stt: planCapability('stt', config.AGENT_STT, config, probe),
    llm: planCapability('llm', config.AGENT_LLM, config, probe),
    tts: planCapability('tts', config.AGENT_TTS, config, probe),
    embeddings: planEmbeddings(config, probe),
  };
}

function planCapability(
  capability: TCapability,
  setting: 'auto' | readonly string[],
  config: TProviderConfig,
  probe: TLocalProbe,
): TCapabilityPlan {
  const explicit = setting !== 'auto';
  const wanted: readonly string[] = explicit ? setting : ENGINES[capability];
  const chain: TChoice[] = [];
  const skipped: TCapabilityPlan['skipped'] = [];
  for (const engine of wanted) {
    const choice = CLOUD.has(engine)
      ? cloudChoice(capability, engine, config, explicit)
      : localChoice(engine as TLocalEngine, probe);
    if ('choice' in choice) {
      chain.push(choice.choice);
      continue;
    }
    if (explicit) {
      throw new ProviderConfigError(
        `AGENT_${capability.toUpperCase()} lists ${engine}, but ${choice.reason}${choice.fix ? `; fix: ${choice.fix}` : ''}`,
      );
    }
    skipped.push({ engine, ...choice });
  }
  if (chain.length === 0 && capability !== 'embeddings') {
    const reasons = skipped.map((s) => `${s.engine}: ${s.reason}${s.fix ? ` (fix: ${s.fix})` : ''}`).join('; ');
    throw new ProviderConfigError(`no ${capability.toUpperCase()} engine is available — ${reasons}`);
  }
  return { capability, chain, skipped };
}

/**
 * One embedding model only, never a failover chain: vectors of different models are not comparable,
 * so a query must be embedded by the model that indexed the documents.
 */
function planEmbeddings(config: TProviderConfig, probe: TLocalProbe): TCapabilityPlan {
  const setting = config.AGENT_EMBEDDINGS;
  if (setting !== 'auto' && setting.length > 1) {
    throw new ProviderConfigError(
      'AGENT_EMBEDDINGS takes one engine: documents indexed by one model cannot be searched with another',
    );
  }
  const plan = planCapability('embeddings', setting, config, probe);
  // Without a model, retrieval searches full text only (the worker says so at start).
  return { ...plan, chain: plan.chain.slice(0, 1) };
}

function cloudChoice(
  capability: TCapability,
  engine: string,
  config: TProviderConfig,
  explicit: boolean,
): { choice: TChoice } | { reason: string; fix?: string } {
  if (engine === 'elevenlabs') {
    if (!config.ELEVENLABS_API_KEY) return { reason: 'ELEVENLABS_API_KEY is not set' };
    return { choice: { engine, model: config.ELEVENLABS_MODEL, why: 'ELEVENLABS_API_KEY is set' } };
  }
  const base = config.OPENAI_BASE_URL;
  const model = {
    stt: config.OPENAI_STT_MODEL,
    llm: config.OPENAI_LLM_MODEL,
    tts: config.OPENAI_TTS_MODEL,
    embeddings: config.OPENAI_EMBEDDINGS_MODEL,
  }[capability];
  // Compatible servers (Ollama, vLLM, llama.cpp) serve chat and embeddings; speech only when asked for.
  if (base && !explicit && (capability === 'stt' || capability === 'tts')) {
    return { reason: `OPENAI_BASE_URL (${base}) is used for chat and embeddings; list openai in AGENT_${capability.toUpperCase()} to use it for speech too` };
  }
  if (!config.OPENAI_API_KEY && !base) return { reason: 'OPENAI_API_KEY is not set' };
  const why = base ? `OPENAI_BASE_URL is ${base}` : 'OPENAI_API_KEY is set';
  return { choice: { engine, model, why } };
}

function localChoice(engine: TLocalEngine, probe: TLocalProbe): { choice: TChoice } | { reason: string; fix?: string } {
  const found = probe[engine];
  if (!found.ok) return { reason: found.reason, fix: found.fix };
  return { choice: { engine, model: found.model, why: LOCAL_WHY[engine] } };
}

/** "STT: whisper tiny.en — local Whisper via faster-whisper; failover: pocketsphinx" */
export function describePlan(plan: TCapabilityPlan): string {
  const [first, ...rest] = plan.chain;
  const label = plan.capability === 'embeddings' ? 'Embeddings' : plan.capability.toUpperCase();
  if (!first) {
    const why = plan.skipped.map((s) => `${s.engine}: ${s.reason}${s.fix ? ` (fix: ${s.fix})` : ''}`).join('; ');
    return `${label}: none — retrieval uses full-text search only; ${why}`;
  }
  const parts = [`${label}: ${first.engine} ${first.model} — ${first.why}`];
  if (rest.length > 0) parts.push(`failover: ${rest.map((c) => `${c.engine} ${c.model}`).join(', ')}`);
  return parts.join('; ');
}

export function isCloudEngine(engine: string): boolean {
  return CLOUD.has(engine);
}
