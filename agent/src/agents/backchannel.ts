import { stt, voice } from '@livekit/agents';

/**
 * Words a listener says while someone else talks ("mm-hm", "yeah", "right"), plus what the speech
 * recogniser makes of a cough or a hum: Whisper is known to turn non-speech into "Thank you." or
 * "M-H-M.", and tiny.en hears a short "hmm" (~0.3 s) as "Amen." (`npm run bench:voice --
 * --false-sound short-hum`). Explicit requests to stop ("wait", "stop", "hold on") are
 * deliberately not here.
 */
const BACKCHANNEL_WORDS = new Set([
  'mm', 'mmm', 'hm', 'hmm', 'mhm', 'mm-hm', 'mm-hmm', 'm-h-m', 'uh-huh', 'uh', 'um', 'ah', 'oh', 'ooh',
  'yeah', 'yep', 'yes', 'ok', 'okay', 'right', 'sure', 'cool', 'nice', 'great', 'alright',
  'thank', 'thanks', 'you', 'bye', 'see', 'i', 'got', 'it', 'amen',
]);
/** At most this many words: "okay, yeah" is a backchannel, a sentence made of them is not. */
const MAX_BACKCHANNEL_WORDS = 3;

/**
 * Below this recogniser confidence a transcript heard over the agent is taken for noise: Whisper
 * scores clear speech around 0.9 (log-probability −0.1) and a short real word like "Wait." around
 * 0.56, while what it makes up from a hum scored 0.34–0.54 here. 0 means the engine gives none.
 */
export const NOISE_CONFIDENCE = 0.45;
const FILLER = /\b(?:m+-?h+-?m+|h+m+|u+h-?h+u+h|m+h+m+)\b/i;

/**
 * True when a transcript heard while the agent is mid-reply should not count as a turn: an
 * acknowledgement, a low-confidence guess, or a short line built around a filler sound.
 */
export function isNotATurn(text: string, confidence = 0): boolean {
  if (isBackchannel(text)) return true;
  if (confidence > 0 && confidence < NOISE_CONFIDENCE) return true;
  const words = text.split(/\s+/).filter(Boolean);
  return words.length <= 6 && FILLER.test(text);
}

/** True for a short acknowledgement or a recogniser's reading of a non-speech sound. */
export function isBackchannel(text: string): boolean {
  const words = text
    .toLowerCase()
    .replace(/[.,!?;:"“”…]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  if (words.length === 0 || words.length > MAX_BACKCHANNEL_WORDS) return false;
  return words.every((w) => BACKCHANNEL_WORDS.has(w));
}

/**
 * Knows whether the agent is in the middle of a reply: speaking, or paused by a possible barge-in
 * (agents-js pauses the audio, state `listening`, and resumes it if no words follow within the
 * false-interruption timeout). The recogniser may take longer than that timeout on a hum, so its
 * transcript can arrive after the reply has resumed; it must be judged the same way then.
 */
export class ReplyTracker {
  private latest: voice.SpeechHandle | undefined;
  private speaking: voice.SpeechHandle | undefined;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any session, whatever its userData
  constructor(private readonly session: voice.AgentSession<any>) {
    session.on(voice.AgentSessionEventTypes.SpeechCreated, (ev) => {
      this.latest = ev.speechHandle;
    });
    session.on(voice.AgentSessionEventTypes.AgentStateChanged, (ev) => {
      if (ev.newState === 'speaking') this.speaking = this.latest;
    });
  }

  get midReply(): boolean {
    const handle = this.speaking;
    return Boolean(handle && !handle.done() && !handle.interrupted);
  }
}

/**
 * Drops transcripts that are not a turn (see isNotATurn) heard while the agent is mid-reply, so
 * agents-js treats the sound as a false interruption and resumes (or keeps playing) the same
 * sentence. Anything else passes unchanged.
 */
export function dropNoiseDuringReply(
  events: ReadableStream<stt.SpeechEvent | string>,
  isMidReply: () => boolean,
  onDropped: (text: string) => void,
): ReadableStream<stt.SpeechEvent | string> {
  return events.pipeThrough(
    new TransformStream<stt.SpeechEvent | string, stt.SpeechEvent | string>({
      transform(ev, controller) {
        const alternative =
          typeof ev !== 'string' &&
          (ev.type === stt.SpeechEventType.FINAL_TRANSCRIPT || ev.type === stt.SpeechEventType.INTERIM_TRANSCRIPT)
            ? (ev.alternatives?.[0] ?? { text: '', confidence: 0 })
            : undefined;
        const transcript = alternative?.text;
        if (alternative && transcript !== undefined && isMidReply() && isNotATurn(transcript, alternative.confidence)) {
          if (typeof ev !== 'string' && ev.type === stt.SpeechEventType.FINAL_TRANSCRIPT) onDropped(transcript);
          return;
        }
        controller.enqueue(ev);
      },
    }),
  );
}
