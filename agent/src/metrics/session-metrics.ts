import type { TTurnLatency } from '@avatar-adam/db';
import type { TCapability, TEndReason, TMetricSink, TVoiceStage } from './events';

/**
 * The observations a session makes, as events for the process's metric sink. All of them are
 * called after the fact (a reply committed, the greeting started, the session ended), never from
 * the audio path, and none of them waits for anything.
 */

const STAGE_OF: Record<Exclude<keyof TTurnLatency, 'voiceToVoiceMs'>, TVoiceStage> = {
  endOfUtteranceDelayMs: 'end_of_utterance',
  transcriptionDelayMs: 'transcription',
  llmTtftMs: 'llm_ttft',
  ttsTtfbMs: 'tts_ttfb',
};

/** One reply's latency breakdown, the same figures the recorder stores in `turn_metrics`. */
export function recordReplyLatency(sink: TMetricSink, latency: TTurnLatency): void {
  for (const [field, stage] of Object.entries(STAGE_OF) as [keyof typeof STAGE_OF, TVoiceStage][]) {
    const ms = latency[field];
    if (ms !== undefined && ms !== null) sink.send({ t: 'voice_stage', stage, seconds: ms / 1000 });
  }
  const v2v = latency.voiceToVoiceMs;
  if (v2v !== undefined && v2v !== null) sink.send({ t: 'voice_to_voice', seconds: v2v / 1000 });
}

/**
 * From the room's creation (session.start creates it with the agent dispatch in one call) to the
 * first audio of the greeting: what the trainee waits after pressing "Start practice". A clock
 * between the LiveKit server and this machine that disagrees beyond reason is not reported.
 */
export function recordGreeting(sink: TMetricSink, opts: { dispatchedAtMs: number; greetedAtMs: number }): void {
  const seconds = (opts.greetedAtMs - opts.dispatchedAtMs) / 1000;
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 3600) return;
  sink.send({ t: 'greeting', seconds });
}

export function recordSessionStarted(sink: TMetricSink, opts: { mode: 'coach' | 'roleplay'; channel: 'web' | 'phone' }): void {
  sink.send({ t: 'session_started', ...opts });
  sink.send({ t: 'active_sessions', count: 1 });
}

export function recordSessionEnded(sink: TMetricSink, reason: TEndReason): void {
  sink.send({ t: 'session_ended', reason });
  sink.send({ t: 'active_sessions', count: 0 });
}

export function recordProviderError(sink: TMetricSink, capability: TCapability, provider: string): void {
  sink.send({ t: 'provider_error', capability, provider });
}

export function recordProviderAvailable(sink: TMetricSink, capability: TCapability, provider: string, available: boolean): void {
  sink.send({ t: 'provider_available', capability, provider, available });
}
