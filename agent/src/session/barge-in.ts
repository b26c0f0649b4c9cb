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
