import type { AgentState } from '@livekit/components-react';

/** "Adam" → "A", "Linda Chen" → "LC", "Dr. José de la Cruz" → "DC": first and last word with a letter. */
export function initialsOf(name: string): string {
  const words = name.split(/\s+/).filter((w) => /\p{L}/u.test(w));
  const first = words[0];
  if (!first) return '?';
  const letter = (word: string) => (word.match(/\p{L}/u)?.[0] ?? '').toLocaleUpperCase();
  const last = words.length > 1 ? words[words.length - 1]! : '';
  return `${letter(first)}${last ? letter(last) : ''}`;
}

/** The avatar's state in words, for its accessible name ("Adam, speaking"). */
export function avatarStateWords(state: AgentState): string {
  switch (state) {
    case 'listening':
      return 'listening';
    case 'thinking':
      return 'thinking';
    case 'speaking':
      return 'speaking';
    case 'failed':
      return 'could not join';
    case 'disconnected':
      return 'not in the room';
    default:
      return 'getting ready';
  }
}

/*
 * useTrackVolume gives the RMS of the spectrum in 0–1; speech mostly sits around 0.05–0.35, so it is
 * stretched to fill 0–1 and rounded to steps of 0.05: the mouth moves visibly without re-styling
 * on every tiny change. Silent unless the agent is actually speaking.
 */
export function speakingLevel(state: AgentState, volume: number): number {
  if (state !== 'speaking' || !Number.isFinite(volume)) return 0;
  const stretched = Math.min(1, Math.max(0, volume * 3));
  return Math.round(stretched * 20) / 20;
}

/** A stable hue per persona, so the same customer always looks the same. */
export function hueOf(name: string): number {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  return hash % 360;
}
