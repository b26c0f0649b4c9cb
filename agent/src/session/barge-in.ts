/**
 * How long a barge-in pause waits, after the trainee's sound has ended, for words before the agent
 * resumes its sentence (agents-js's false-interruption timeout). A recogniser's transcript that is
 * a real turn interrupts the reply; one that is only a "mm-hm" is dropped (agents/backchannel.ts).
 */
export const FALSE_INTERRUPTION_TIMEOUT_MS = 1000;

/**
 * agents-js's `shortSpeechResume` (patches/README.md) for a short-sound limit in ms: a pause
 * caused by a sound voiced for less than that — a cough, a click, a chair — resumes as soon as the
 * VAD ends the sound (after its 300 ms of silence), not a second later. A word said that short
 * ("no") still interrupts once its transcript arrives. `0` turns it off.
 */
export function shortSoundResume(maxVoicedMs: number): { maxSpeechDuration: number; timeout: number } | undefined {
  return maxVoicedMs > 0 ? { maxSpeechDuration: maxVoicedMs, timeout: 0 } : undefined;
}

/**
 * Speech voiced this long (the VAD's own time) over a paused reply is the trainee talking: the
 * reply is interrupted for good without waiting for their words (agents-js's
 * `sustainedSpeechInterrupt`, patches/README.md). agents-js resumes a paused reply when no
 * transcript arrives within the false-interruption timeout after the speech ends, and the
 * recogniser can be slower than that: still loading when the trainee cuts into the greeting (the
 * Whisper worker starts with the first speech), or on a machine under load. A cough, a "mm-hm" or
 * "okay, yeah" is well under it. Timed by the VAD rather than the clock: a VAD running behind real
 * time on a busy machine made a 300 ms hum last 1.35 s of wall time.
 */
export const SUSTAINED_SPEECH_MS = 1200;
