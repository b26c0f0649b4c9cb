import { EventEmitter } from 'node:events';
import { Future, stt, voice } from '@livekit/agents';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SUSTAINED_SPEECH_MS, dropNoiseDuringReply, interruptOnSustainedSpeech, isBackchannel, isNotATurn } from './backchannel';

describe('isBackchannel', () => {
  it('recognises acknowledgements and what the recogniser makes of a hum or a cough', () => {
    for (const text of ['Mm-hm.', 'M-H-M.', 'Yeah.', 'Okay, yeah.', 'Thank you.', 'Right!', 'hmm', 'Amen.']) {
      expect(isBackchannel(text), text).toBe(true);
    }
  });
  it('lets real interruptions and answers through', () => {
    for (const text of ['Wait.', 'Stop, please.', 'Hold on a second.', 'Yeah, but what is the APR?', 'No.', '', 'Sure, go with the GAP']) {
      expect(isBackchannel(text), text).toBe(false);
    }
  });
});

describe('isNotATurn (heard while the agent is mid-reply)', () => {
  it("drops what Whisper made of hums in this project's measurements, keeps short real requests", () => {
    expect(isNotATurn('and then make an M-H-M.', 0.54)).toBe(true); // filler-built line
    expect(isNotATurn("That's what I mean.", 0.34)).toBe(true); // low confidence
    expect(isNotATurn('HMM', 0.57)).toBe(true);
    expect(isNotATurn('Wait.', 0.56)).toBe(false);
    expect(isNotATurn('Sorry to cut in, can we look at the payment first?', 0.87)).toBe(false);
    // No confidence from the engine (pocketsphinx): only the words decide.
    expect(isNotATurn("That's what I mean.", 0)).toBe(false);
  });
});

const final = (text: string): stt.SpeechEvent => ({ type: stt.SpeechEventType.FINAL_TRANSCRIPT, alternatives: [{ text, language: 'en' as stt.SpeechData['language'], startTime: 0, endTime: 0, confidence: 1 }] });

async function run(events: stt.SpeechEvent[], paused: boolean) {
  const dropped: string[] = [];
  const source = new ReadableStream<stt.SpeechEvent | string>({
    start(controller) {
      for (const ev of events) controller.enqueue(ev);
      controller.close();
    },
  });
  const out: string[] = [];
  for await (const ev of dropNoiseDuringReply(source, () => paused, (t) => dropped.push(t))) {
    if (typeof ev !== 'string') out.push(ev.alternatives?.[0]?.text ?? `<${ev.type}>`);
  }
  return { out, dropped };
}

describe('dropNoiseDuringReply', () => {
  it('drops a backchannel while the agent is paused, so it resumes its sentence', async () => {
    const { out, dropped } = await run([final('Mm-hm.'), final('Wait, what about the rate?')], true);
    expect(out).toEqual(['Wait, what about the rate?']);
    expect(dropped).toEqual(['Mm-hm.']);
  });
  it('keeps every transcript when the agent is not speaking: "yeah" can be an answer', async () => {
    const { out, dropped } = await run([final('Yeah.')], false);
    expect(out).toEqual(['Yeah.']);
    expect(dropped).toEqual([]);
  });
});

describe('interruptOnSustainedSpeech', () => {
  class FakeSession extends EventEmitter {
    agentState: voice.AgentState = 'speaking';
    interrupts = 0;
    interrupt() {
      this.interrupts++;
      return new Future<void>();
    }
  }
  const userState = (session: FakeSession, newState: voice.UserState) =>
    session.emit(voice.AgentSessionEventTypes.UserStateChanged, { newState } as voice.UserStateChangedEvent);

  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function watch(midReply = true) {
    const session = new FakeSession();
    const noticed: string[] = [];
    const stop = interruptOnSustainedSpeech(session as never, () => midReply, () => noticed.push('interrupted'));
    return { session, noticed, stop };
  }

  it('interrupts a paused reply once the trainee has talked over it for SUSTAINED_SPEECH_MS', () => {
    const { session, noticed } = watch();
    userState(session, 'speaking');
    session.agentState = 'listening'; // the barge-in paused the reply
    vi.advanceTimersByTime(SUSTAINED_SPEECH_MS - 1);
    expect(session.interrupts).toBe(0);
    vi.advanceTimersByTime(1);
    expect(session.interrupts).toBe(1);
    expect(noticed).toEqual(['interrupted']);
  });

  it('leaves a short sound (a cough, a "mm-hm") to the false-interruption resume', () => {
    const { session } = watch();
    userState(session, 'speaking');
    session.agentState = 'listening';
    vi.advanceTimersByTime(600);
    userState(session, 'listening');
    vi.advanceTimersByTime(5000);
    expect(session.interrupts).toBe(0);
  });

  it('does nothing when no reply is under way, or the reply was not paused (it cannot be interrupted)', () => {
    const idle = watch(false);
    userState(idle.session, 'speaking');
    idle.session.agentState = 'listening';
    vi.advanceTimersByTime(5000);
    expect(idle.session.interrupts).toBe(0);

    const uninterruptible = watch(true);
    userState(uninterruptible.session, 'speaking');
    vi.advanceTimersByTime(5000); // still `speaking`: never paused
    expect(uninterruptible.session.interrupts).toBe(0);
  });

  it('stops watching when told to', () => {
    const { session, stop } = watch();
    userState(session, 'speaking');
    session.agentState = 'listening';
    stop();
    vi.advanceTimersByTime(5000);
    userState(session, 'speaking');
    vi.advanceTimersByTime(5000);
    expect(session.interrupts).toBe(0);
  });
});
