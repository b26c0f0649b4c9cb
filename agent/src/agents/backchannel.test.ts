import { stt } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { dropNoiseDuringReply, isBackchannel, isNotATurn } from './backchannel';

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
