import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { AGENT_CACHES, END_REASONS, VOICE_STAGES, type TCapability, type TMetricEvent } from './events';

/**
 * What one job process has reported that is a state rather than a count: its running sessions and
 * its engines' circuit states. Kept per process so that a process that exits (or is killed) takes
 * its share with it instead of leaving a session "active" forever.
 */
export type TMetricSource = {
  activeSessions: number;
  available: Map<string, { capability: TCapability; provider: string; available: boolean }>;
};

export type TAgentMetrics = {
  registry: Registry;
  /** A new reporting process (one socket connection); `remove` it when the process is gone. */
  addSource(): TMetricSource;
  removeSource(source: TMetricSource): void;
  apply(source: TMetricSource, event: TMetricEvent): void;
};

/** The agent worker's Prometheus registry, held by the supervisor; names follow the web app's. */
export function createAgentMetrics(opts: { defaultMetrics?: boolean } = {}): TAgentMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'agent' });
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'avatar_adam_agent_' });
  const sources = new Set<TMetricSource>();
  const registers = [registry];

  const voiceStage = new Histogram({
    name: 'avatar_adam_voice_stage_seconds',
    help: 'Voice pipeline stage of one agent reply: end-of-utterance delay, transcription delay, LLM time to first token, TTS time to first byte',
    labelNames: ['stage'],
    buckets: [0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5],
    registers,
  });
  const voiceToVoice = new Histogram({
    name: 'avatar_adam_voice_to_voice_seconds',
    help: 'End of the trainee speaking to the first audio of the agent reply, as the agent measures it',
    // 0.8 s and 1.3 s are the product targets (p50 and p95).
    buckets: [0.25, 0.5, 0.8, 1, 1.3, 1.6, 2, 2.5, 3, 5, 10],
    registers,
  });
  const greeting = new Histogram({
    name: 'avatar_adam_session_greeting_seconds',
    help: 'Practice room created with the agent dispatched to the first audio of the greeting (web sessions)',
    buckets: [0.5, 1, 1.5, 2, 3, 5, 10, 20, 30, 60],
    registers,
  });
  const started = new Counter({
    name: 'avatar_adam_sessions_started_total',
    help: 'Practice sessions a job process took on, by mode and channel',
    labelNames: ['mode', 'channel'],
    registers,
  });
  const ended = new Counter({
    name: 'avatar_adam_sessions_ended_total',
    help: 'Practice sessions ended by the agent, by end reason',
    labelNames: ['reason'],
    registers,
  });
  const providerErrors = new Counter({
    name: 'avatar_adam_provider_errors_total',
    help: 'Failed attempts of a speech or language engine (each retry counts), by capability and engine',
    labelNames: ['capability', 'provider'],
    registers,
  });
  // Same names as the web's cache counters, so one hit-rate query covers both services.
  const cacheHits = new Counter({
    name: 'avatar_adam_cache_hits_total',
    help: 'Reads served from a cache (query_embedding: a question embedded before, by any job process or, with Redis, any worker)',
    labelNames: ['cache'],
    registers,
  });
  const cacheMisses = new Counter({
    name: 'avatar_adam_cache_misses_total',
    help: 'Reads a cache could not serve (the value was computed), by cache',
    labelNames: ['cache'],
    registers,
  });
  new Gauge({
    name: 'avatar_adam_active_sessions',
    help: 'Practice sessions running in this worker’s job processes',
    registers,
    collect() {
      this.set([...sources].reduce((sum, s) => sum + s.activeSessions, 0));
    },
  });
  new Gauge({
    name: 'avatar_adam_provider_available',
    help: 'Circuit state of an engine in a failover chain: 1 in use, 0 skipped after failing until a probe succeeds',
    labelNames: ['capability', 'provider'],
    registers,
    collect() {
      // An engine counts as available only if no job process has it open (failed).
      const merged = new Map<string, { capability: string; provider: string; available: boolean }>();
      for (const source of sources) {
        for (const [key, state] of source.available) {
          const seen = merged.get(key);
          merged.set(key, { ...state, available: (seen?.available ?? true) && state.available });
        }
      }
      this.reset();
      for (const { capability, provider, available } of merged.values()) this.set({ capability, provider }, available ? 1 : 0);
    },
  });

  // Every series a dashboard or alert rule names exists from the start, at zero, rather than
  // appearing with the first event (a rate over a missing series is no data, not zero).
  for (const stage of VOICE_STAGES) voiceStage.zero({ stage });
  for (const reason of END_REASONS) ended.inc({ reason }, 0);
  for (const cache of AGENT_CACHES) {
    cacheHits.inc({ cache }, 0);
    cacheMisses.inc({ cache }, 0);
  }

  return {
    registry,
    addSource() {
      const source: TMetricSource = { activeSessions: 0, available: new Map() };
      sources.add(source);
      return source;
    },
    removeSource: (source) => void sources.delete(source),
    apply(source, event) {
      switch (event.t) {
        case 'voice_stage':
          return voiceStage.observe({ stage: event.stage }, event.seconds);
        case 'voice_to_voice':
          return voiceToVoice.observe(event.seconds);
        case 'greeting':
          return greeting.observe(event.seconds);
        case 'session_started':
          return started.inc({ mode: event.mode, channel: event.channel });
        case 'session_ended':
          return ended.inc({ reason: event.reason });
        case 'active_sessions':
          source.activeSessions = event.count;
          return;
        case 'provider_error':
          return providerErrors.inc({ capability: event.capability, provider: event.provider });
        case 'provider_available': {
          const { capability, provider, available } = event;
          source.available.set(`${capability}/${provider}`, { capability, provider, available });
          return;
        }
        case 'cache':
          return (event.hit ? cacheHits : cacheMisses).inc({ cache: event.cache });
      }
    },
  };
}
