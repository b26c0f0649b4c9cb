import { describe, expect, it } from 'vitest';
import { type TAgentMetrics, createAgentMetrics } from './agent-metrics';
import type { TMetricSink } from './events';
import {
  recordGreeting,
  recordProviderAvailable,
  recordProviderError,
  recordReplyLatency,
  recordSessionEnded,
  recordSessionStarted,
} from './session-metrics';

/** One sample of the registry, by its series name (histograms: `_count`, `_sum`) and labels. */
async function sample(metrics: TAgentMetrics, series: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const name = series.replace(/_(count|sum|bucket)$/, '');
  const metric = await metrics.registry.getSingleMetric(name)!.get();
  const found = metric.values.find(
    (v) => ((v as { metricName?: string }).metricName ?? metric.name) === series && Object.entries(labels).every(([k, val]) => String(v.labels[k]) === val),
  );
  return found?.value;
}

/** A job process reporting straight into the registry, as the socket collector applies it. */
function processSink(metrics: TAgentMetrics): TMetricSink & { source: ReturnType<TAgentMetrics['addSource']> } {
  const source = metrics.addSource();
  return { source, send: (event) => metrics.apply(source, event) };
}

describe('agent metrics', () => {
  it('records a reply’s stored latency breakdown per stage and voice-to-voice, skipping stages that did not run', async () => {
    const metrics = createAgentMetrics({ defaultMetrics: false });
    const sink = processSink(metrics);
    recordReplyLatency(sink, { endOfUtteranceDelayMs: 300, transcriptionDelayMs: 650, llmTtftMs: 205, ttsTtfbMs: 145, voiceToVoiceMs: 1209 });
    // A say() (greeting) is timed by its TTS only.
    recordReplyLatency(sink, { ttsTtfbMs: 180 });

    expect(await sample(metrics, 'avatar_adam_voice_stage_seconds_count', { stage: 'tts_ttfb' })).toBe(2);
    expect(await sample(metrics, 'avatar_adam_voice_stage_seconds_count', { stage: 'transcription' })).toBe(1);
    expect(await sample(metrics, 'avatar_adam_voice_stage_seconds_sum', { stage: 'transcription' })).toBeCloseTo(0.65);
    expect(await sample(metrics, 'avatar_adam_voice_stage_seconds_count', { stage: 'llm_ttft' })).toBe(1);
    expect(await sample(metrics, 'avatar_adam_voice_to_voice_seconds_count')).toBe(1);
    expect(await sample(metrics, 'avatar_adam_voice_to_voice_seconds_sum')).toBeCloseTo(1.209);
    // 1.209 s is over the 0.8 s target but within 1.3 s.
    expect(await sample(metrics, 'avatar_adam_voice_to_voice_seconds_bucket', { le: '0.8' })).toBe(0);
    expect(await sample(metrics, 'avatar_adam_voice_to_voice_seconds_bucket', { le: '1.3' })).toBe(1);
  });

  it('measures the greeting from dispatch and drops a reading from disagreeing clocks', async () => {
    const metrics = createAgentMetrics({ defaultMetrics: false });
    const sink = processSink(metrics);
    recordGreeting(sink, { dispatchedAtMs: 10_000, greetedAtMs: 11_040 });
    recordGreeting(sink, { dispatchedAtMs: 20_000, greetedAtMs: 19_000 });
    expect(await sample(metrics, 'avatar_adam_session_greeting_seconds_count')).toBe(1);
    expect(await sample(metrics, 'avatar_adam_session_greeting_seconds_sum')).toBeCloseTo(1.04);
  });

  it('counts sessions started and ended by reason, and active sessions only while their process holds them', async () => {
    const metrics = createAgentMetrics({ defaultMetrics: false });
    // Every end reason is a series from the start, so an alert on agent_error sees 0, not nothing.
    expect(await sample(metrics, 'avatar_adam_sessions_ended_total', { reason: 'agent_error' })).toBe(0);
    const first = processSink(metrics);
    const second = processSink(metrics);
    recordSessionStarted(first, { mode: 'roleplay', channel: 'web' });
    recordSessionStarted(second, { mode: 'coach', channel: 'phone' });
    expect(await sample(metrics, 'avatar_adam_active_sessions')).toBe(2);

    recordSessionEnded(first, 'trainee_left');
    expect(await sample(metrics, 'avatar_adam_active_sessions')).toBe(1);
    expect(await sample(metrics, 'avatar_adam_sessions_ended_total', { reason: 'trainee_left' })).toBe(1);
    expect(await sample(metrics, 'avatar_adam_sessions_started_total', { mode: 'coach', channel: 'phone' })).toBe(1);

    // The second process is killed mid-session: its session stops counting as active.
    metrics.removeSource(second.source);
    expect(await sample(metrics, 'avatar_adam_active_sessions')).toBe(0);
  });

  it('counts engine errors and shows an engine unavailable while any job process has its circuit open', async () => {
    const metrics = createAgentMetrics({ defaultMetrics: false });
    const a = processSink(metrics);
    const b = processSink(metrics);
    recordProviderError(a, 'stt', 'whisper');
    recordProviderError(b, 'stt', 'whisper');
    expect(await sample(metrics, 'avatar_adam_provider_errors_total', { capability: 'stt', provider: 'whisper' })).toBe(2);

    for (const sink of [a, b]) recordProviderAvailable(sink, 'stt', 'whisper', true);
    recordProviderAvailable(a, 'stt', 'whisper', false);
    expect(await sample(metrics, 'avatar_adam_provider_available', { capability: 'stt', provider: 'whisper' })).toBe(0);
    recordProviderAvailable(a, 'stt', 'whisper', true);
    expect(await sample(metrics, 'avatar_adam_provider_available', { capability: 'stt', provider: 'whisper' })).toBe(1);
  });

  it('counts the question-embedding cache’s hits and misses from every job process, from zero', async () => {
    const metrics = createAgentMetrics({ defaultMetrics: false });
    expect(await sample(metrics, 'avatar_adam_cache_hits_total', { cache: 'query_embedding' })).toBe(0);
    const a = processSink(metrics);
    const b = processSink(metrics);
    a.send({ t: 'cache', cache: 'query_embedding', hit: false });
    b.send({ t: 'cache', cache: 'query_embedding', hit: true });
    a.send({ t: 'cache', cache: 'query_embedding', hit: true });
    expect(await sample(metrics, 'avatar_adam_cache_hits_total', { cache: 'query_embedding' })).toBe(2);
    expect(await sample(metrics, 'avatar_adam_cache_misses_total', { cache: 'query_embedding' })).toBe(1);
  });
});
