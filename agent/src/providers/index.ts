import { log, type tts } from '@livekit/agents';
import { listFliteVoices } from './flite-process';
import { FliteTTS, type TFliteVoice, isFliteVoice } from './tts-flite';

const BUILT_IN_DEFAULT_VOICE: TFliteVoice = 'slt';

/**
 * Maps a persona's voice hint onto an installed engine voice. Hints name voices directly for now;
 * anything else gets the configured default, so a scenario written for another engine still talks.
 */
export function resolveVoice(hint: string, fallback?: string): TFliteVoice {
  const wanted = hint.trim().toLowerCase();
  if (isFliteVoice(wanted)) return wanted;
  const configured = fallback?.trim().toLowerCase();
  return configured && isFliteVoice(configured) ? configured : BUILT_IN_DEFAULT_VOICE;
}

/**
 * The one place the agent picks its text-to-speech engine. Only Debian's flite is available
 * today; neural and cloud engines will be chosen here from config.
 */
export async function createTts(opts: {
  voice: string;
  fallbackVoice?: string;
  logFields?: Record<string, unknown>;
}): Promise<tts.TTS> {
  const voice = resolveVoice(opts.voice, opts.fallbackVoice);
  const engine = await FliteTTS.create({ voice });
  log().info(
    { ...opts.logFields, engine: 'flite', voice, requestedVoice: opts.voice, sampleRate: engine.sampleRate },
    `TTS: flite ${voice} — local Debian engine (no neural voice installed)`,
  );
  return engine;
}

/** Lets the worker fail at start, with the fix in the message, instead of failing every session. */
export async function ensureTtsInstalled(): Promise<void> {
  await listFliteVoices();
}
