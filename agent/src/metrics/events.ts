import { z } from 'zod';

/**
 * What a job process tells the supervisor about its session, one JSON object per line over the
 * local metrics socket. Job processes are separate OS processes (forked by agents-js), so their
 * observations travel as these events to the one registry the supervisor serves at `/metrics`.
 * Every label value is checked against a closed set here, so no event can grow the series count.
 */
export const VOICE_STAGES = ['end_of_utterance', 'transcription', 'llm_ttft', 'tts_ttfb'] as const;
export const END_REASONS = ['trainee_left', 'trainee_idle', 'trainee_no_show', 'time_limit', 'agent_shutdown', 'agent_error'] as const;
export const CAPABILITIES = ['stt', 'llm', 'tts'] as const;
export const AGENT_CACHES = ['query_embedding'] as const;

const seconds = z.number().finite().nonnegative().max(3600);
/** Engine names as the provider plan spells them (whisper, openai, piper, ...). */
const provider = z.string().regex(/^[a-z0-9_-]{1,32}$/);

export const ZMetricEvent = z.discriminatedUnion('t', [
  z.object({ t: z.literal('voice_stage'), stage: z.enum(VOICE_STAGES), seconds }),
  z.object({ t: z.literal('voice_to_voice'), seconds }),
  z.object({ t: z.literal('greeting'), seconds }),
  z.object({ t: z.literal('session_started'), mode: z.enum(['coach', 'roleplay']), channel: z.enum(['web', 'phone']) }),
  z.object({ t: z.literal('session_ended'), reason: z.enum(END_REASONS) }),
  /** The sessions this process runs now; replaces its previous count. */
  z.object({ t: z.literal('active_sessions'), count: z.number().int().min(0).max(100) }),
  z.object({ t: z.literal('provider_error'), capability: z.enum(CAPABILITIES), provider }),
  z.object({ t: z.literal('provider_available'), capability: z.enum(CAPABILITIES), provider, available: z.boolean() }),
  /** One read of a cache: served from it (hit) or computed (miss). */
  z.object({ t: z.literal('cache'), cache: z.enum(AGENT_CACHES), hit: z.boolean() }),
]);

export type TMetricEvent = z.infer<typeof ZMetricEvent>;
export type TVoiceStage = (typeof VOICE_STAGES)[number];
export type TCapability = (typeof CAPABILITIES)[number];
export type TEndReason = (typeof END_REASONS)[number];

/** Where a process's observations go: the supervisor's socket, or straight into a registry. */
export type TMetricSink = { send(event: TMetricEvent): void };

/** For a process that reports nowhere (metrics off, or a process outside the worker). */
export const discardMetrics: TMetricSink = { send: () => {} };
