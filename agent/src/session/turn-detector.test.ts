import { asLanguageCode, initializeLogger, llm, stt, voice } from '@livekit/agents';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { END_OF_TURN_THRESHOLD, TranscriptTurnDetector, currentUserText, judgeTurnEnd } from './turn-detector';

beforeAll(() => initializeLogger({ pretty: false, level: 'silent' }));

describe('judgeTurnEnd', () => {
  it.each([
    'What would my payment be?',
    'That covers the engine and the transmission.',
    "You don't have to.",
    'I think so.',
    'Yes, it is.',
    'The payment is $452 a month for 72 months at 6.9% APR',
    'Okay!',
    'It comes with roadside assistance."',
    'That is not the cause.',
    'GAP is what the gap is all about.',
  ])('a finished sentence ends the turn: %s', (text) => {
    expect(judgeTurnEnd(text).probability).toBeGreaterThanOrEqual(END_OF_TURN_THRESHOLD);
  });

  it.each([
    ['The payment would be $450 for', 'trailing_word'],
    ['We can add the', 'trailing_word'],
    ['It covers the engine and.', 'trailing_word'],
    ['So what I would suggest is, um.', 'trailing_word'],
    ["And that's", 'trailing_word'],
    ['That’s', 'trailing_word'],
    ['The service contract covers,', 'trailing_mark'],
    ['Let me think...', 'trailing_mark'],
    ['Your rate is…', 'trailing_mark'],
    ['The term is -', 'trailing_mark'],
    ['because', 'trailing_word'],
  ])('speech that trails off is unlikely to end the turn: %s', (text, reason) => {
    const judged = judgeTurnEnd(text);
    expect(judged.probability).toBeLessThan(END_OF_TURN_THRESHOLD);
    expect(judged.reason).toBe(reason);
  });

  it('reads a recogniser without punctuation by its last word', () => {
    expect(judgeTurnEnd('the payment is four fifty a month').probability).toBeGreaterThanOrEqual(END_OF_TURN_THRESHOLD);
    expect(judgeTurnEnd('the payment is four fifty a month and').probability).toBeLessThan(END_OF_TURN_THRESHOLD);
  });
});

describe('currentUserText', () => {
  it('joins the trainee messages after the last agent message', () => {
    const ctx = llm.ChatContext.empty();
    ctx.addMessage({ role: 'system', content: 'You are a customer.' });
    ctx.addMessage({ role: 'user', content: 'Hello.' });
    ctx.addMessage({ role: 'assistant', content: 'Hi, what is my payment?' });
    ctx.addMessage({ role: 'user', content: 'It is $450 a month' });
    ctx.addMessage({ role: 'user', content: 'for' });
    expect(currentUserText(ctx)).toBe('It is $450 a month for');
  });

  it('is empty before the trainee has said anything', () => {
    const ctx = llm.ChatContext.empty();
    ctx.addMessage({ role: 'assistant', content: 'Hi.' });
    expect(currentUserText(ctx)).toBe('');
  });
});

describe('TranscriptTurnDetector', () => {
  it('speaks English, and declines transcripts the recogniser labels as another language', async () => {
    const detector = new TranscriptTurnDetector();
    expect(await detector.supportsLanguage('en')).toBe(true);
    expect(await detector.supportsLanguage('en-US')).toBe(true);
    expect(await detector.supportsLanguage(undefined)).toBe(true);
    expect(await detector.supportsLanguage('es')).toBe(false);
  });
});

/**
 * Through agents-js's own turn handling: an AgentSession with the detector, given the final
 * transcript the way its speech recogniser hands it over, with the end of speech dated as its VAD
 * dates it; what counts is when the session ends the trainee's turn (its `onEndOfTurn` hook, which
 * starts the reply).
 */
describe('an AgentSession using the detector', () => {
  const MIN_MS = 100;
  const MAX_MS = 1500;
  let session: voice.AgentSession | undefined;

  afterEach(async () => {
    await session?.close().catch(() => {});
    session = undefined;
  });

  async function turnEndsAfter(transcripts: string[], gapMs = 0): Promise<number | undefined> {
    session = new voice.AgentSession({
      turnHandling: {
        turnDetection: new TranscriptTurnDetector(),
        endpointing: { minDelay: MIN_MS, maxDelay: MAX_MS },
      },
    });
    await session.start({ agent: new voice.Agent({ instructions: 'You are a customer.' }), record: false });
    const activity = session._activity as unknown as Record<string, unknown>;
    const recognition = activity.audioRecognition as { onSTTEvent(ev: stt.SpeechEvent): Promise<void> };
    let endedAt: number | undefined;
    let endedWith = '';
    activity.onEndOfTurn = async (info: { newTranscript: string }) => {
      endedAt = performance.now();
      endedWith = info.newTranscript;
      return true;
    };
    const start = performance.now();
    for (const [i, text] of transcripts.entries()) {
      if (i > 0) await new Promise((r) => setTimeout(r, gapMs));
      Reflect.set(recognition, 'lastSpeakingTime', Date.now());
      await Reflect.apply(Reflect.get(recognition, 'onSTTEvent') as (ev: stt.SpeechEvent) => Promise<void>, recognition, [
        {
          type: stt.SpeechEventType.FINAL_TRANSCRIPT,
          alternatives: [{ text, language: asLanguageCode('en'), startTime: 0, endTime: 0, confidence: 0.9 }],
        },
      ]);
    }
    const deadline = start + MAX_MS + 1000;
    while (endedAt === undefined && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    if (endedAt !== undefined) expect(endedWith).toBe(transcripts.join(' '));
    return endedAt === undefined ? undefined : endedAt - start;
  }

  it('ends a finished sentence after the shortest wait', async () => {
    const after = await turnEndsAfter(['What would my payment be?']);
    expect(after).toBeGreaterThanOrEqual(MIN_MS - 5);
    expect(after).toBeLessThan(MAX_MS / 2);
  });

  it('waits up to the longest for a trainee who trails off', async () => {
    const after = await turnEndsAfter(['The payment would be $450 for']);
    expect(after).toBeGreaterThanOrEqual(MAX_MS - 5);
  });

  it('ends the turn soon after the trainee finishes the sentence they trailed off in', async () => {
    const after = await turnEndsAfter(['The payment would be $450 for', '72 months.'], 400);
    expect(after).toBeGreaterThanOrEqual(400 + MIN_MS - 5);
    expect(after).toBeLessThan(MAX_MS);
  });
});
